/**
 * Any fixed number: every Runtrail process migrating the same database takes this
 * advisory lock, and so does `db distribute` for each table it converts, so the two
 * never interleave.
 */
export const MIGRATION_LOCK = 727_411_002;
