import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { type CallToolResult, CallToolResultSchema, CreateTaskResultSchema } from "@modelcontextprotocol/sdk/types.js";
import { testStoreKinds } from "@runtrail/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DashboardClient } from "./dashboard";
import { emitter, referenceRun, uid, useServer } from "./harness";

/**
 * The MCP server over real HTTP with the official MCP client (Streamable HTTP): tools,
 * the seed 004 run and its failing task, wait_for_run as an MCP task (create, poll,
 * result, list, cancel), API-key auth and project scoping, bounded answers.
 */

const textOf = (r: unknown): string => ((r as CallToolResult).content ?? []).map((c) => (c.type === "text" ? c.text : "")).join("\n");

for (const kind of await testStoreKinds()) {
  describe(`MCP server on ${kind.name}`, () => {
    const api = useServer(kind);
    const clients: Client[] = [];
    const seedRun = uid("seed004");

    async function connect(apiKey: string): Promise<Client> {
      const client = new Client({ name: "runtrail-test", version: "1.0.0" });
      const transport = new StreamableHTTPClientTransport(new URL(`${api.url}/api/mcp`), { requestInit: { headers: { Authorization: `Bearer ${apiKey}` } } });
      await client.connect(transport);
      clients.push(client);
      return client;
    }
    const call = async (client: Client, name: string, args: Record<string, unknown>) => (await client.callTool({ name, arguments: args })) as CallToolResult;

    beforeAll(async () => {
      const r = await api.ingest(referenceRun(seedRun));
      if (r.status !== 200) throw new Error(`seeding failed: ${JSON.stringify(r.body)}`);
    });
    afterAll(async () => {
      await Promise.all(clients.map((c) => c.close()));
    });

    it("lists its tools, wait_for_run usable as a task", async () => {
      const client = await connect(api.apiKey);
      expect(client.getServerCapabilities()?.tasks).toMatchObject({ list: {}, cancel: {}, requests: { tools: { call: {} } } });
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual(["cancel_run", "get_run", "get_task", "list_runs", "search_runs", "wait_for_run"]);
      expect(tools.find((t) => t.name === "wait_for_run")?.execution).toEqual({ taskSupport: "optional" });
      expect(tools.find((t) => t.name === "search_runs")?.description).toMatch(/does not search inside/);
    });

    it("reads the seed 004 run: listed, found, outlined with its failing task, and that task in detail", async () => {
      const client = await connect(api.apiKey);
      expect(textOf(await call(client, "list_runs", { limit: 50 }))).toContain(seedRun);
      expect(textOf(await call(client, "search_runs", { name: "REP", tag: "pdf", status: "completed" }))).toContain(seedRun);
      expect(textOf(await call(client, "search_runs", { name: "zzz-nothing" }))).toBe("No runs match.");

      const outline = textOf(await call(client, "get_run", { runId: seedRun }));
      expect(outline).toContain(`Run "report" — completed after 401 ms`);
      expect(outline).toContain("tasks: 6 tasks (4 completed, 1 failed, 1 skipped)");
      expect(outline).toMatch(/Failed tasks \(1; .*\):\n- "ocr-page" \[t5\] in "fetch-products", starts \+124 ms, took 56 ms: Connection refused/);
      expect(outline).toMatch(/Where the time went[^\n]*:\n- "summarise": 279 ms/);

      const tasks = textOf(await call(client, "get_run", { runId: seedRun, view: "tasks" }));
      expect(tasks.split("\n").filter((l) => l.startsWith("- "))).toHaveLength(6);
      expect(tasks).toContain('- t6 "translate" skipped, starts +211 ms, took 1 ms (cache hit)');

      const task = textOf(await call(client, "get_task", { runId: seedRun, taskId: "t5" }));
      expect(task).toContain('Task "ocr-page" [t5] of run "report" — failed');
      expect(task).toContain("parent: t4");
      expect(task).toContain("error:\nConnection refused\nError: Connection refused");
      const missing = await call(client, "get_task", { runId: seedRun, taskId: "nope" });
      expect(missing.isError).toBe(true);
      expect(textOf(missing)).toContain('task "nope" not found');
    });

    it("cuts big payloads with a marker that says how to read the rest, and reads it a page at a time", async () => {
      const client = await connect(api.apiKey);
      const runId = uid("big-input");
      const ev = emitter(runId);
      const big = { text: "0123456789".repeat(5000) };
      expect((await api.ingest([ev("run.start", 0, { name: "big" }), ev("task.start", 1, { taskId: "t", name: "read", input: big })])).status).toBe(200);
      const overview = textOf(await call(client, "get_task", { runId, taskId: "t" }));
      expect(overview.length).toBeLessThan(6000);
      expect(overview).toMatch(/… \[cut: [\d,]+ more characters; get_task with runId="[^"]+", taskId="t", field="input" returns it a page at a time\]/);
      const page1 = textOf(await call(client, "get_task", { runId, taskId: "t", field: "input" }));
      expect(page1).toMatch(/^Task t input, characters 0–20,000 of 50,[\d]{3}:/);
      expect(page1).toContain('[more: get_task with runId="');
      const page3 = textOf(await call(client, "get_task", { runId, taskId: "t", field: "input", offset: 40_000 }));
      expect(page3).not.toContain("[more:");
      expect(JSON.parse(`${page1.split("\n").slice(1, -1).join("\n")}${textOf(await call(client, "get_task", { runId, taskId: "t", field: "input", offset: 20_000 })).split("\n").slice(1, -1).join("\n")}${page3.split("\n").slice(1).join("\n")}`)).toEqual(big);
    });

    it("runs wait_for_run as an MCP task: created, polled with tasks/get, listed, its result fetched when the run ends", async () => {
      const client = await connect(api.apiKey);
      const runId = uid("wait");
      const ev = emitter(runId);
      expect((await api.ingest([ev("run.start", 0, { name: "long job" }), ev("task.start", 1, { taskId: "a", name: "step" })])).status).toBe(200);

      const created = await client.request({ method: "tools/call", params: { name: "wait_for_run", arguments: { runId }, task: { ttl: 120_000 } } }, CreateTaskResultSchema);
      const { taskId } = created.task;
      expect(created.task).toMatchObject({ status: "working", ttl: 120_000, pollInterval: 1000 });
      expect((await client.experimental.tasks.getTask(taskId)).status).toBe("working");
      expect((await client.experimental.tasks.listTasks()).tasks.map((t) => t.taskId)).toContain(taskId);

      // The run ends (in another process, say); the next poll sees it.
      expect((await api.ingest([ev("task.fail", 5, { taskId: "a", errorMessage: "disk full" }), ev("run.fail", 6, { errorMessage: "step failed" })])).status).toBe(200);
      let status = "working";
      for (let i = 0; i < 50 && status === "working"; i++) {
        status = (await client.experimental.tasks.getTask(taskId)).status;
        if (status === "working") await new Promise((r) => setTimeout(r, 100));
      }
      expect(status).toBe("completed");
      const result = await client.experimental.tasks.getTaskResult(taskId, CallToolResultSchema);
      expect(textOf(result)).toContain(`Run "long job" — failed after`);
      expect(textOf(result)).toContain('- "step" [a], starts +1 ms, took 4 ms: disk full');
      expect((await client.experimental.tasks.listTasks()).tasks.find((t) => t.taskId === taskId)).toMatchObject({ status: "completed", statusMessage: `run ${runId} has ended` });

      // The SDK's own flow (it calls a tool as a task once tools/list said it may): task created, polled, result streamed.
      await client.listTools();
      const kinds: string[] = [];
      for await (const message of client.experimental.tasks.callToolStream({ name: "wait_for_run", arguments: { runId } })) {
        kinds.push(message.type);
        if (message.type === "result") expect(textOf(message.result)).toContain('Run "long job"');
      }
      expect(kinds[0]).toBe("taskCreated");
      expect(kinds.at(-1)).toBe("result");
      // Called plainly, it waits and answers the same.
      expect(textOf(await call(client, "wait_for_run", { runId }))).toContain('Run "long job" — failed');
    });

    it("tasks/cancel stops the wait, not the run; a wait that times out answers with the run as it is", async () => {
      const client = await connect(api.apiKey);
      const runId = uid("cancel-wait");
      const ev = emitter(runId);
      expect((await api.ingest([ev("run.start", 0, { name: "still going" })])).status).toBe(200);
      const created = await client.request({ method: "tools/call", params: { name: "wait_for_run", arguments: { runId }, task: {} } }, CreateTaskResultSchema);
      const cancelled = await client.experimental.tasks.cancelTask(created.task.taskId);
      expect(cancelled.status).toBe("cancelled");
      expect((await client.experimental.tasks.getTask(created.task.taskId)).status).toBe("cancelled");
      expect((await api.getRun(runId)).run.status).toBe("running");

      const short = await client.request({ method: "tools/call", params: { name: "wait_for_run", arguments: { runId, timeoutSeconds: 1 }, task: {} } }, CreateTaskResultSchema);
      const result = await client.experimental.tasks.getTaskResult(short.task.taskId, CallToolResultSchema);
      expect(textOf(result)).toMatch(/^stopped waiting after 1\.00 s; run \S+ was still open\. Its state now:\n\nRun "still going" — running for/);

      const unknown = await call(client, "wait_for_run", { runId: "no-such-run" });
      expect(unknown.isError).toBe(true);
      expect(textOf(unknown)).toContain('run "no-such-run" not found');
    });

    it("cancel_run cancels a running run and refuses an ended one", async () => {
      const client = await connect(api.apiKey);
      const runId = uid("mcp-cancel");
      const ev = emitter(runId);
      expect((await api.ingest([ev("run.start", 0, { name: "to cancel" }), ev("task.start", 1, { taskId: "a", name: "step" })])).status).toBe(200);
      expect(textOf(await call(client, "cancel_run", { runId, reason: "agent said stop" }))).toContain("1 running task(s) were cancelled");
      expect((await api.getRun(runId)).run).toMatchObject({ status: "cancelled", errorMessage: "agent said stop" });
      const again = await call(client, "cancel_run", { runId });
      expect(again.isError).toBe(true);
      expect(textOf(again)).toContain("is already cancelled");
    });

    it("answers 401 without a valid key, and shows another project nothing of this one", async () => {
      for (const headers of [{}, { authorization: "Bearer rt_wrong_key_000000000000000000000000" }] as Record<string, string>[]) {
        const res = await fetch(`${api.url}/api/mcp`, {
          method: "POST",
          headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...headers },
          body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
        });
        expect(res.status).toBe(401);
        expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
      }
      await expect(connect("rt_wrong_key_000000000000000000000000")).rejects.toThrow();

      const web = new DashboardClient(api.url);
      await web.loadCsrf();
      const project = await web.send("/manage/projects", { name: `MCP other ${uid("p")}` });
      const key = await web.send("/manage/keys", { projectId: project.body.project.id, name: "mcp" });
      expect(key.status).toBe(201);
      const mine = await connect(api.apiKey);
      const theirs = await connect(key.body.key);
      expect(textOf(await call(theirs, "list_runs", {}))).toBe("No runs match.");
      expect(textOf(await call(theirs, "search_runs", { name: "report" }))).toBe("No runs match.");
      for (const [name, args] of [
        ["get_run", { runId: seedRun }],
        ["get_task", { runId: seedRun, taskId: "t5" }],
        ["cancel_run", { runId: seedRun }],
        ["wait_for_run", { runId: seedRun }],
      ] as const) {
        const r = await call(theirs, name, args);
        expect(r.isError, name).toBe(true);
        expect(textOf(r), name).toContain("not found");
      }
      // Tasks belong to the key that made them.
      const created = await mine.request({ method: "tools/call", params: { name: "wait_for_run", arguments: { runId: seedRun }, task: {} } }, CreateTaskResultSchema);
      await expect(theirs.experimental.tasks.getTask(created.task.taskId)).rejects.toThrow(/not found/i);
      expect((await theirs.experimental.tasks.listTasks()).tasks).toEqual([]);
      expect((await mine.experimental.tasks.getTask(created.task.taskId)).status).toBe("completed");
    });
  });
}
