import { checkPassword, cleanEmail, cleanName } from "../auth/validate.js";
import type { Db, Store } from "../client.js";
import { createApiKey, findApiKeysByIdOrPrefix, listApiKeys, revokeApiKey } from "../queries/api-keys.js";
import { createProject, findProject, listProjectDetails, listProjects, renameProject } from "../queries/projects.js";
import { createUser, findUserByEmail, listUsers, setUserPassword, updateUser } from "../queries/users.js";
import { type ParsedArgs, stringOption, UsageError } from "./args.js";
import { dbDistribute } from "./db-distribute.js";
import type { CliIo } from "./io.js";
import { table, when } from "./table.js";

type Command = (db: Db, args: ParsedArgs, io: CliIo, store: Store) => Promise<void>;

const json = (io: CliIo, value: unknown) => io.out(JSON.stringify(value, null, 2));

async function projectArg(db: Db, args: ParsedArgs, required: boolean) {
  const ref = stringOption(args, "project");
  if (ref === undefined) {
    if (required) throw new UsageError("--project <id or name> is required");
    return null;
  }
  const project = await findProject(db, ref);
  if (!project) throw new UsageError(`no project has the id or name ${JSON.stringify(ref)} (see: projects list)`);
  return project;
}

const usersCreateAdmin: Command = async (db, args, io) => {
  const email = cleanEmail(stringOption(args, "email") ?? io.env.RUNTRAIL_ADMIN_EMAIL, "--email");
  const password = checkPassword(io.env.RUNTRAIL_ADMIN_PASSWORD || (await io.readSecret(`Password for ${email}`)), "password");
  const existing = await findUserByEmail(db, email);
  if (!existing) {
    const user = await createUser(db, { email, password, role: "admin" });
    io.out(`Created admin ${user.email}. The dashboard now asks for a login.`);
    return;
  }
  // An existing email: make it an enabled admin with this password (how a locked-out admin gets back in).
  await setUserPassword(db, existing.id, password);
  await updateUser(db, existing.id, { role: "admin", disabled: false });
  io.out(`Updated ${existing.email}: admin, enabled, new password (its sessions were signed out).`);
};

const usersList: Command = async (db, args, io) => {
  const users = await listUsers(db);
  if (args.options.has("json")) return json(io, users);
  if (users.length === 0) return io.out("No users: the dashboard is open on 127.0.0.1 only. Create one with: users create-admin --email <email>");
  for (const line of table(
    ["EMAIL", "ROLE", "STATUS", "LAST LOGIN", "PROJECTS"],
    users.map((u) => [u.email, u.role, u.disabled ? "disabled" : "active", when(u.lastLoginAt), u.role === "admin" ? "all" : u.projectIds.join(",")]),
  ))
    io.out(line);
};

const projectsCreate: Command = async (db, args, io) => {
  const project = await createProject(db, cleanName(args.words.slice(2).join(" ") || undefined, "name"));
  if (args.options.has("json")) return json(io, project);
  io.out(`Created project ${JSON.stringify(project.name)} (id ${project.id}). Make it a key with: keys create --project ${project.id}`);
};

const projectsRename: Command = async (db, args, io) => {
  const [, , ref, ...rest] = args.words;
  if (!ref) throw new UsageError("projects rename <id or name> <new name>");
  const project = await findProject(db, ref);
  if (!project) throw new UsageError(`no project has the id or name ${JSON.stringify(ref)}`);
  const renamed = await renameProject(db, project.id, cleanName(rest.join(" ") || undefined, "name"));
  io.out(`Renamed ${project.id}: ${JSON.stringify(project.name)} → ${JSON.stringify(renamed.name)}`);
};

const projectsList: Command = async (db, args, io) => {
  const projects = await listProjectDetails(db);
  if (args.options.has("json")) return json(io, projects);
  for (const line of table(
    ["ID", "NAME", "KEYS", "RUNS", "CREATED"],
    projects.map((p) => [p.id, p.name, String(p.keyCount), p.runCount > 10_000 ? "10k+" : String(p.runCount), when(p.createdAt)]),
  ))
    io.out(line);
};

const keysCreate: Command = async (db, args, io) => {
  const project = await projectArg(db, args, true);
  if (!project) return;
  const name = cleanName(stringOption(args, "name") ?? "command line", "--name");
  const { key, view } = await createApiKey(db, project.id, name);
  if (args.options.has("json")) return json(io, { key, ...view });
  io.err(`Created key ${JSON.stringify(view.name)} for project ${JSON.stringify(project.name)}. It is shown once; store it now:`);
  io.out(key);
};

const keysList: Command = async (db, args, io) => {
  const project = await projectArg(db, args, false);
  const projects = project ? [project] : await listProjects(db);
  const all = args.options.has("all");
  const rows = [];
  for (const p of projects) for (const k of await listApiKeys(db, p.id, { includeRevoked: all })) rows.push({ project: p, key: k });
  if (args.options.has("json")) return json(io, rows.map((r) => r.key));
  for (const line of table(
    ["ID", "PREFIX", "NAME", "PROJECT", "CREATED", "LAST USED", "REVOKED"],
    rows.map(({ project: p, key: k }) => [k.id, `${k.prefix}…`, k.name, p.name, when(k.createdAt), when(k.lastUsedAt), when(k.revokedAt)]),
  ))
    io.out(line);
};

const keysRevoke: Command = async (db, args, io) => {
  const ref = args.words[2];
  if (!ref) throw new UsageError("keys revoke <key id or prefix>");
  const found = await findApiKeysByIdOrPrefix(db, ref.replace(/…$/, ""));
  if (found.length === 0) throw new UsageError(`no key has the id or prefix ${JSON.stringify(ref)} (see: keys list)`);
  if (found.length > 1) throw new UsageError(`${found.length} keys have the prefix ${JSON.stringify(ref)}: give the key id instead`);
  const key = found[0] as (typeof found)[number];
  const revoked = await revokeApiKey(db, key.projectId, key.id);
  io.out(`Revoked key ${revoked.prefix}… (${revoked.name}). A running server stops accepting it within 5 seconds.`);
};

export const COMMANDS: Record<string, Command> = {
  "users create-admin": usersCreateAdmin,
  "users list": usersList,
  "projects create": projectsCreate,
  "projects rename": projectsRename,
  "projects list": projectsList,
  "keys create": keysCreate,
  "keys list": keysList,
  "keys revoke": keysRevoke,
  "db distribute": (_db, args, io, store) => dbDistribute(store, args, io),
};

export const USAGE = `Usage: npm run runtrail -- <command>

  users create-admin --email <email>   create (or reset) an admin; the password is read from
                                       RUNTRAIL_ADMIN_PASSWORD or standard input, never the command line
  users list
  projects create <name>
  projects rename <id or name> <new name>
  projects list
  keys create --project <id or name> [--name <name>]   prints the new key once
  keys list [--project <id or name>] [--all]          --all includes revoked keys
  keys revoke <key id or prefix>
  db distribute [--shards <n>]         on a Citus coordinator (DATABASE_URL): shard runs by id and
                                       tasks/events by run id, the rest as reference tables (the rate-limit
                                       tables stay on the coordinator); safe to run again (docs/scaling.md)

  --json     machine-readable output (lists and create commands)

The store is the server's: DATABASE_URL (Postgres) or the PGlite database in
RUNTRAIL_DATA_DIR (default ./.runtrail). PGlite allows one process at a time: stop the
server first, or use the dashboard's Settings.`;
