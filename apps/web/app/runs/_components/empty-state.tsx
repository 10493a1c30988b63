import { DEFAULT_PROJECT_ID } from "@runtrail/db";
import { headers } from "next/headers";
import Link from "next/link";
import { EmptyIcon } from "@/components/empty-icon";
import { ready } from "@/lib/store";

/** This server's own address as the browser reached it, so the snippet works when pasted. */
async function serverUrl(): Promise<string> {
  const h = await headers();
  const host = h.get("x-forwarded-host") ?? h.get("host") ?? "localhost:3000";
  const proto = h.get("x-forwarded-proto") ?? "http";
  return `${proto}://${host}`;
}

export async function EmptyState({ projectId }: { projectId: string }) {
  const [{ boot }, baseUrl] = await Promise.all([ready(), serverUrl()]);
  const code = `import { Runtrail } from "@runtrail/sdk";

const client = new Runtrail({
  baseUrl: ${JSON.stringify(baseUrl)},
  apiKey: process.env.RUNTRAIL_API_KEY,
});
const run = await client.startRun({ name: "report", input: { file: "report.pdf" } });
const task = await run.startTask("parse-pdf", { file: "report.pdf" });
await task.complete({ output: { pages: 3 } });
await run.complete();
await client.shutdown();`;
  return (
    <div className="rounded-xl border border-dashed border-zinc-300 bg-white px-8 py-12">
      <div className="mx-auto max-w-2xl">
        <div className="text-center">
          <EmptyIcon kind="runs" />
          <h2 className="mt-4 text-lg font-semibold">No runs yet</h2>
        </div>
        <p className="mt-1 text-center text-sm text-balance text-zinc-600">
          Instrument your agent with the SDK and its runs appear here as timelines. Or try <code className="rounded bg-zinc-100 px-1.5 py-0.5 text-[13px] whitespace-nowrap">npm run demo</code> to
          record a few example runs.
        </p>
        {/* A dark island in both themes, like the header: code reads as code. */}
        <pre data-theme="dark" className="mt-5 overflow-x-auto rounded-lg bg-zinc-50 p-4 font-mono text-xs leading-relaxed text-zinc-800 ring-1 ring-zinc-200">
          {code}
        </pre>
        <p className="mt-4 text-xs text-zinc-500">
          API key of this project:{" "}
          {projectId !== DEFAULT_PROJECT_ID ? (
            <>
              create one in{" "}
              <Link href="/settings/keys" className="font-medium text-sky-700 hover:underline">
                Settings → API keys
              </Link>
            </>
          ) : boot.keySource === "env" ? (
            "the RUNTRAIL_API_KEY this server was started with"
          ) : (
            <code className="font-mono">{boot.keyFile}</code>
          )}
        </p>
      </div>
    </div>
  );
}
