"""The Python SDK records the same run as the TypeScript SDK, and sync and asyncio scripts the same
timeline: compared as the read API returns them, without ids and times."""

import textwrap

from server_harness import run_node, run_python, shape

SEED_PY = textwrap.dedent(
    """
    from runtrail import Runtrail

    def parse_pdf(path):
        return ["page 1", "page 2", "page 3"]

    client = Runtrail()

    # seed 004, as written
    run = client.start_run(input={"file": "report.pdf"})
    task = run.start_task("parse-pdf", input={"file": "report.pdf"})
    pages = parse_pdf("report.pdf")
    task.complete(output={"pages": len(pages)})
    run.complete(output={"pages": len(pages)})

    client.shutdown()
    print(run.id)
    """
)

SEED_TS = """
const parsePdf = async () => ["page 1", "page 2", "page 3"];
const client = new SDK.Runtrail();
const run = await client.startRun({ input: { file: "report.pdf" } });
const task = await run.startTask("parse-pdf", { file: "report.pdf" });
const pages = await parsePdf("report.pdf");
await task.complete({ output: { pages: pages.length } });
await run.complete({ output: { pages: pages.length } });
await client.shutdown();
console.log(run.id);
"""

# Seed 004's TypeScript example, with what the README adds: nesting, failure, skip, logs, progress, usage.
FULL_TS = """
const client = new SDK.Runtrail();
const run = await client.startRun({ name: "report", input: { file: "report.pdf" }, tags: ["pdf", "docs"], metadata: { user: "ada" } });
const parse = await run.startTask("parse-pdf", { file: "report.pdf" });
await parse.complete({ output: { pages: 3 } });
const summarise = await run.startTask("summarise", { pages: 3 });
const [users, products] = await Promise.all([run.startTask("fetch-users"), run.startTask("fetch-products")]);
const page = await products.startTask("fetch-page", { n: 1 });
await page.fail({ errorMessage: "Connection refused" });
await products.complete({ output: { count: 12 }, usage: { inputTokens: 100, outputTokens: 20, costUsd: 0.01 } });
await users.skip({ reason: "cache hit" });
summarise.log("halfway", { level: "warn", attributes: { n: 1 } });
summarise.update({ statusMessage: "half", progress: 0.5 });
await summarise.complete({ output: { summary: "Three pages." } });
run.log("done");
await run.fail({ errorMessage: "could not load users", output: { partial: true }, usage: { inputTokens: 5 } });
await client.shutdown();
console.log(run.id);
"""

FULL_PY = textwrap.dedent(
    """
    from runtrail import Runtrail

    client = Runtrail()
    run = client.start_run(name="report", input={"file": "report.pdf"}, tags=["pdf", "docs"], metadata={"user": "ada"})
    parse = run.start_task("parse-pdf", input={"file": "report.pdf"})
    parse.complete(output={"pages": 3})
    summarise = run.start_task("summarise", input={"pages": 3})
    users, products = run.start_task("fetch-users"), run.start_task("fetch-products")
    page = products.start_task("fetch-page", input={"n": 1})
    page.fail(error_message="Connection refused")
    products.complete(output={"count": 12}, usage={"input_tokens": 100, "output_tokens": 20, "cost_usd": 0.01})
    users.skip(reason="cache hit")
    summarise.log("halfway", level="warn", attributes={"n": 1})
    summarise.update(status_message="half", progress=0.5)
    summarise.complete(output={"summary": "Three pages."})
    run.log("done")
    run.fail(error_message="could not load users", output={"partial": True}, usage={"input_tokens": 5})
    client.shutdown()
    print(run.id)
    """
)


def stored(server, run_id):
    detail = server.run_json(run_id)
    names = {task["id"]: task["name"] for task in detail["tasks"]}
    logs = [{**line, "taskId": names.get(line["taskId"])} for line in server.logs(run_id)]
    return shape(detail), shape({"logs": logs})


def test_seed_004_in_python_stores_the_run_the_typescript_example_stores(server):
    python_run = stored(server, run_python(SEED_PY, server).strip())
    typescript_run = stored(server, run_node(SEED_TS, server).strip())
    assert python_run == typescript_run
    run = python_run[0]["run"]
    assert (run["name"], run["status"], run["output"]) == ("run", "completed", {"pages": 3})
    assert [(t["name"], t["status"], t["output"]) for t in python_run[0]["tasks"]] == [("parse-pdf", "completed", {"pages": 3})]


def test_every_kind_of_event_is_stored_as_the_typescript_sdk_stores_it(server):
    python_run = stored(server, run_python(FULL_PY, server).strip())
    typescript_run = stored(server, run_node(FULL_TS, server).strip())
    assert python_run == typescript_run
    detail, logs = python_run
    assert [(t["name"], t["status"], t["parentTaskId"]) for t in detail["tasks"]] == [
        ("parse-pdf", "completed", None),
        ("summarise", "completed", None),
        ("fetch-users", "skipped", None),
        ("fetch-products", "completed", None),
        ("fetch-page", "failed", "fetch-products"),
    ]
    assert detail["run"]["usage"] == {"inputTokens": 105, "outputTokens": 20, "costUsd": 0.01}
    assert [(line["message"], line["level"], line["taskId"]) for line in logs["logs"]] == [
        ("halfway", "warn", "summarise"),
        ("done", "info", None),
    ]


SCRIPT_SYNC = textwrap.dedent(
    """
    import runtrail
    from runtrail import Runtrail

    @runtrail.task()
    def fetch_page(n):
        runtrail.current_task().log(f"page {n}")
        return n

    client = Runtrail()
    with client.start_run(name="crawl", input={"site": "example.com"}, tags=["crawl"]) as run:
        with run.task("plan") as plan:
            plan.update(status_message="planned", progress=1)
        with run.task("fetch", input={"pages": 2}) as fetch:
            for n in (1, 2):
                fetch_page(n)
            try:
                with run.task("flaky"):
                    raise TimeoutError("upstream timed out")
            except TimeoutError:
                pass
        skipped = run.start_task("index")
        skipped.skip(reason="nothing new")
    client.shutdown()
    print(run.id)
    """
)

SCRIPT_ASYNC = textwrap.dedent(
    """
    import asyncio
    import runtrail
    from runtrail import AsyncRuntrail

    @runtrail.task()
    async def fetch_page(n):
        runtrail.current_task().log(f"page {n}")
        return n

    async def main():
        client = AsyncRuntrail()
        run = await client.start_run(name="crawl", input={"site": "example.com"}, tags=["crawl"])
        async with run:
            async with run.task("plan") as plan:
                plan.update(status_message="planned", progress=1)
            async with run.task("fetch", input={"pages": 2}) as fetch:
                for n in (1, 2):
                    await fetch_page(n)
                try:
                    async with run.task("flaky"):
                        raise TimeoutError("upstream timed out")
                except TimeoutError:
                    pass
            skipped = await run.start_task("index")
            await skipped.skip(reason="nothing new")
        await client.shutdown()
        return run.id

    print(asyncio.run(main()))
    """
)


def test_sync_and_asyncio_versions_of_a_script_store_the_same_timeline(server):
    sync_run = stored(server, run_python(SCRIPT_SYNC, server).strip())
    async_run = stored(server, run_python(SCRIPT_ASYNC, server).strip())
    for detail in (sync_run[0], async_run[0]):  # tracebacks name their own lines: compare their gist
        for task in detail["tasks"]:
            if task["errorStack"]:
                assert task["errorStack"].startswith("Traceback") and "TimeoutError: upstream timed out" in task["errorStack"]
                task["errorStack"] = "<traceback>"
    assert sync_run == async_run
    assert [(t["name"], t["status"], t["parentTaskId"]) for t in sync_run[0]["tasks"]] == [
        ("plan", "completed", None),
        ("fetch", "completed", None),
        ("fetch_page", "completed", "fetch"),
        ("fetch_page", "completed", "fetch"),
        ("flaky", "failed", "fetch"),
        ("index", "skipped", None),
    ]
    assert sync_run[0]["tasks"][4]["errorMessage"] == "TimeoutError: upstream timed out"
