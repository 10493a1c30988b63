/**
 * Users, projects and API keys (and whatever else @runtrail/db's command line offers):
 * handed to its entry point, the same one `npm run runtrail` uses. Loaded only for
 * these commands, so `serve` never loads drizzle.
 */
export async function runStoreCommand(argv: readonly string[]): Promise<void> {
  const { main } = await import("@runtrail/db/cli");
  await main(argv);
}

/**
 * The store commands' usage as @runtrail/db words it, for `runtrail --help`: its
 * command list, with its `npm run runtrail --` (how the repository runs it) said the
 * way this package is run.
 */
export async function storeCommandsUsage(program: string): Promise<string> {
  const { runCli } = await import("@runtrail/db/cli");
  const lines: string[] = [];
  await runCli(["--help"], {
    out: (l) => lines.push(l),
    err: (l) => lines.push(l),
    env: {},
    readSecret: () => Promise.reject(new Error("--help reads no password")),
  });
  return lines
    .join("\n")
    .replace(/npm run (-s )?runtrail -- /g, `${program} `)
    .replace(/^Usage: .*\n+/, "");
}
