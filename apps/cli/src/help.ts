/** `runtrail --help`: the server's options, then the store commands' own usage. */
export function serveUsage(program: string, version: string): string {
  return `Runtrail ${version}: run and task observability for agent and pipeline code.

Usage:
  ${program} [serve] [options]      serve the dashboard and API (the default)
  ${program} <command> [options]    work on the same store: users, projects, API keys (below)

Options:
  -p, --port <port>          port to listen on (default: PORT, else 3000)
  -H, --host <address>       address to bind (default: HOST, else 127.0.0.1). Anything
                             but loopback needs a user first (users create-admin)
  -d, --data-dir <dir>       PGlite database and the generated API key
                             (default: RUNTRAIL_DATA_DIR, else ./.runtrail)
      --database-url <url>   Postgres instead of PGlite (default: DATABASE_URL; prefer
                             the variable, since arguments show in ps)
  -h, --help                 this text
  -v, --version              the version

The server prints the default project's API key on its first start (kept in the data
directory). Every other setting is a variable (RUNTRAIL_ADMIN_EMAIL,
RUNTRAIL_RETENTION_DAYS, …), listed in the README. Ctrl-C stops the server.

Commands (--data-dir and --database-url work here too):`;
}
