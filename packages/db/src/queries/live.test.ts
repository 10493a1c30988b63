import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { selectRows } from "../client.js";
import { openPostgresTestStore, postgresReachable, type TestStore } from "../testing/stores.js";
import { changePayloads, listenRunChanges, NOTIFY_PAYLOAD_MAX, notifyRunChanges, parseChangePayload, type RunChangeNotice, type RunRef } from "./live.js";

describe("run change payloads", () => {
  it("pack as many runs as fit under the limit, and read back", () => {
    const runs: RunRef[] = Array.from({ length: 500 }, (_, i) => ({ projectId: "default", runId: `0190a5c2-7b1e-7c3d-9f00-${String(i).padStart(12, "0")}` }));
    const payloads = changePayloads("origin-1", runs);
    // Each pair is 51 bytes with its comma: every payload but the last is too full for one more.
    expect(payloads.length).toBe(4);
    for (const p of payloads) expect(Buffer.byteLength(p)).toBeLessThanOrEqual(NOTIFY_PAYLOAD_MAX);
    for (const p of payloads.slice(0, -1)) expect(Buffer.byteLength(p) + 51).toBeGreaterThan(NOTIFY_PAYLOAD_MAX);
    const back = payloads.map((p) => parseChangePayload(p));
    expect(back.every((n) => n?.origin === "origin-1")).toBe(true);
    expect(back.flatMap((n) => n?.runs ?? [])).toEqual(runs);
  });

  it("count bytes, not characters, and escape what JSON must", () => {
    const runs: RunRef[] = Array.from({ length: 40 }, (_, i) => ({ projectId: "p\"\\", runId: `☃\u{1F600}\u0001${"é".repeat(190)}${i}` }));
    const payloads = changePayloads("o", runs);
    expect(payloads.length).toBeGreaterThan(1);
    for (const p of payloads) expect(Buffer.byteLength(p)).toBeLessThanOrEqual(NOTIFY_PAYLOAD_MAX);
    expect(payloads.flatMap((p) => parseChangePayload(p)?.runs ?? [])).toEqual(runs);
    expect(changePayloads("o", [])).toEqual([]);
  });

  it("ignore what another sender put on the channel", () => {
    expect(parseChangePayload("hello")).toBeNull();
    expect(parseChangePayload("[1,2]")).toBeNull();
    expect(parseChangePayload('{"o":1,"r":[]}')).toBeNull();
    expect(parseChangePayload('{"o":"x","r":[["a","b"],[1,2],"c"]}')).toEqual({ origin: "x", runs: [{ projectId: "a", runId: "b" }] });
  });
});

const reachable = await postgresReachable();

describe.runIf(reachable)("LISTEN / NOTIFY on Postgres", () => {
  let t: TestStore;
  let url = "";
  beforeAll(async () => {
    t = await openPostgresTestStore();
    url = (t.env as { DATABASE_URL: string }).DATABASE_URL;
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it("delivers notifications sent after commit, and listens again after its connection is killed", async () => {
    const notices: RunChangeNotice[] = [];
    let listens = 0;
    let waiter: (() => void) | null = null;
    const settle = () => {
      waiter?.();
    };
    const listener = listenRunChanges(url, {
      onChange: (n) => {
        notices.push(n);
        settle();
      },
      onListen: () => {
        listens += 1;
        settle();
      },
      onError: () => {},
    });
    const until = async (done: () => boolean) => {
      const deadline = Date.now() + 20_000;
      while (!done()) {
        if (Date.now() > deadline) throw new Error("timed out waiting for the listener");
        await new Promise<void>((resolve) => {
          waiter = resolve;
          setTimeout(resolve, 200);
        });
      }
    };
    try {
      await listener.listening;
      expect(listens).toBe(1);
      const many: RunRef[] = Array.from({ length: 400 }, (_, i) => ({ projectId: "p", runId: `run-${i}-${"z".repeat(40)}` }));
      await notifyRunChanges(t.store.db, "me", many);
      await until(() => notices.flatMap((n) => n.runs).length === 400);
      expect(notices.length).toBeGreaterThan(1);
      expect(notices.flatMap((n) => n.runs)).toEqual(many);

      // Inside a transaction that rolls back, nothing is sent.
      await t.store.db
        .transaction(async (tx) => {
          await notifyRunChanges(tx, "me", [{ projectId: "p", runId: "rolled-back" }]);
          throw new Error("roll back");
        })
        .catch(() => {});

      const [row] = await selectRows<{ n: number }>(
        t.store.db,
        sql`select count(pg_terminate_backend(pid))::int as n from pg_stat_activity where application_name = 'runtrail listen' and datname = current_database()`,
      );
      expect(row?.n).toBe(1);
      await until(() => listens === 2);
      await notifyRunChanges(t.store.db, "me", [{ projectId: "p", runId: "after-reconnect" }]);
      await until(() => notices.some((n) => n.runs.some((r) => r.runId === "after-reconnect")));
      expect(notices.some((n) => n.runs.some((r) => r.runId === "rolled-back"))).toBe(false);
    } finally {
      await listener.close();
    }
  });
});
