import { randomBytes } from "node:crypto";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { ConflictError, isUniqueViolation, NotFoundError } from "../auth/errors.js";
import { type Db, selectRows } from "../client.js";
import { instanceSettings, projectMembers, projects } from "../schema.js";
import { RUN_COUNT_CAP } from "./run-counts.js";

export interface ProjectRef {
  id: string;
  name: string;
}

export interface ProjectView extends ProjectRef {
  createdAt: Date;
  /** Unrevoked keys. */
  keyCount: number;
  /** Runs stored, counted up to RUN_COUNT_CAP + 1 ("10k+") so a big project stays cheap. */
  runCount: number;
}

/** `p_` + 12 lower-case base32 characters: short enough to type, random enough not to guess. */
export function newProjectId(): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz234567";
  return `p_${Array.from(randomBytes(12), (b) => alphabet[b & 31]).join("")}`;
}

const taken = (name: string) => new ConflictError("name", `name: a project called ${JSON.stringify(name)} already exists`);

export async function createProject(db: Db, name: string): Promise<ProjectRef> {
  const id = newProjectId();
  try {
    await db.insert(projects).values({ id, name });
  } catch (err) {
    if (isUniqueViolation(err)) throw taken(name);
    throw err;
  }
  return { id, name };
}

export async function renameProject(db: Db, id: string, name: string): Promise<ProjectRef> {
  try {
    const done = await db.update(projects).set({ name }).where(eq(projects.id, id)).returning({ id: projects.id });
    if (done.length === 0) throw new NotFoundError(`project ${id} not found`);
  } catch (err) {
    if (isUniqueViolation(err)) throw taken(name);
    throw err;
  }
  return { id, name };
}

/** Every project (`userId` undefined: an admin) or the ones `userId` is a member of, by name. */
export async function listProjects(db: Db, userId?: string): Promise<ProjectRef[]> {
  const base = db.select({ id: projects.id, name: projects.name }).from(projects);
  const rows =
    userId === undefined
      ? await base.orderBy(asc(sql`lower(${projects.name})`), asc(projects.id))
      : await base
          .innerJoin(projectMembers, and(eq(projectMembers.projectId, projects.id), eq(projectMembers.userId, userId)))
          .orderBy(asc(sql`lower(${projects.name})`), asc(projects.id));
  return rows;
}

/** Projects with their key and run counts, for the settings page and `projects list`. */
export async function listProjectDetails(db: Db, userId?: string): Promise<ProjectView[]> {
  const refs = await listProjects(db, userId);
  if (refs.length === 0) return [];
  const ids = refs.map((p) => p.id);
  const rows = await db
    .select({
      id: projects.id,
      createdAt: projects.createdAt,
      // Spelled out: drizzle renders a lone column unqualified ("id"), which inside this
      // subquery would name the inner table's column. Both tables are reference tables on
      // Citus, so the correlated subquery stays local to one node.
      keyCount: sql<number>`(select count(*)::int from api_keys k where k.project_id = "projects"."id" and k.revoked_at is null)`,
    })
    .from(projects)
    .where(inArray(projects.id, ids));
  const byId = new Map(rows.map((r) => [r.id, r]));
  const out: ProjectView[] = [];
  for (const p of refs) {
    const r = byId.get(p.id);
    out.push({ ...p, createdAt: r?.createdAt ?? new Date(0), keyCount: r?.keyCount ?? 0, runCount: await countRuns(db, p.id) });
  }
  return out;
}

/**
 * A project's runs, counted up to RUN_COUNT_CAP + 1. One statement per project with the
 * project id as a value: Citus (runs sharded by id) cannot correlate a subquery over
 * runs with a row of the projects table, and answers this one by asking every shard
 * for at most cap + 1 rows.
 */
async function countRuns(db: Db, projectId: string): Promise<number> {
  const [row] = await selectRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from (select 1 from runs where project_id = ${projectId} limit ${RUN_COUNT_CAP + 1}) c`,
  );
  return Number(row?.n ?? 0);
}

/** A project by id, or by name (any case) when no id matches: what the command line accepts. */
export async function findProject(db: Db, idOrName: string): Promise<ProjectRef | null> {
  const [byId] = await db.select({ id: projects.id, name: projects.name }).from(projects).where(eq(projects.id, idOrName));
  if (byId) return byId;
  const [byName] = await db
    .select({ id: projects.id, name: projects.name })
    .from(projects)
    .where(sql`lower(${projects.name}) = lower(${idOrName})`);
  return byName ?? null;
}

/**
 * A value made once per installation and kept (the first writer wins, so replicas
 * agree): `make` is called only when none is stored yet.
 */
export async function instanceValue(db: Db, name: string, make: () => string): Promise<string> {
  await db.insert(instanceSettings).values({ name, value: make() }).onConflictDoNothing();
  const [row] = await db.select({ value: instanceSettings.value }).from(instanceSettings).where(eq(instanceSettings.name, name));
  if (!row) throw new Error(`instance setting ${name} could not be stored`);
  return row.value;
}
