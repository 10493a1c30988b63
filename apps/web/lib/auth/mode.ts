import { type Db, hasUsers } from "@runtrail/db";
import { processSingleton } from "../process-singleton";
import { bindAddress } from "./bind-address";

/**
 * Open or login. With no user at all the dashboard is open (the process refuses to
 * start like that on anything but loopback, see `refuseOpenOnNetwork`); once a user
 * exists, every page and dashboard route needs a session, whatever the address.
 */
export type AuthMode = "open" | "login";

const RECHECK_MS = 2_000;
/** Whether users exist (null: not asked yet) and when that was learnt; one answer per process. */
const known = processSingleton("users-known", (): { users: boolean | null; at: number } => ({ users: null, at: 0 }));

export async function authMode(db: Db): Promise<AuthMode> {
  // Users are never deleted, so "some exist" is kept for good; "none" is asked again
  // every 2 s, so a user made from the command line closes the dashboard at once.
  if (known.users) return "login";
  if (known.users === false && Date.now() - known.at <= RECHECK_MS) return "open";
  const users = await hasUsers(db);
  known.users = users;
  known.at = Date.now();
  return users ? "login" : "open";
}

/** The first user was made by this process (the dashboard's "turn on login"). */
export function noteUsersExist(): void {
  known.users = true;
  known.at = Date.now();
}

/**
 * Exits the process when it listens beyond loopback with no user to ask a login of:
 * the dashboard would show every run's inputs and outputs to anyone who reaches it.
 */
export async function refuseOpenOnNetwork(db: Db, print: (text: string) => void = console.error): Promise<void> {
  const bound = bindAddress();
  if (bound.loopback || (await hasUsers(db))) return;
  const where = bound.hosts.length > 0 ? bound.hosts.join(", ") : "an address this process could not determine";
  print(`
  Runtrail will not start: it listens on ${where}, not only on this machine,
  and no user exists to require a login. Anyone who reached the port would see
  every run's inputs, outputs and errors. Do one of these:

    1. Create the first admin, then start again:
         npm run runtrail -- users create-admin --email you@example.com
    2. Or let the server create it at start:
         RUNTRAIL_ADMIN_EMAIL=you@example.com RUNTRAIL_ADMIN_PASSWORD='a long password' npm start
    3. Or keep the dashboard on this machine, open without a login:
         HOST=127.0.0.1 npm start        (next start: -H 127.0.0.1)
`);
  process.exit(1);
}
