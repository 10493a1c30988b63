import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { selectRows } from "../client.js";
import { testStoreKinds } from "../testing/stores.js";
import { suiteStore } from "../testing/suite-store.js";
import { analyzeIngestTables, pingStore } from "./maintenance.js";

for (const kind of await testStoreKinds()) {
  describe(`store maintenance on ${kind.name}`, () => {
    const t = suiteStore(kind);

    it("pings a live store", async () => {
      await expect(pingStore(t.store.db)).resolves.toBeUndefined();
    });

    it("analyzes the ingest tables: each then has a row count estimate (-1 before)", async () => {
      await analyzeIngestTables(t.store.db);
      const rows = await selectRows<{ relname: string }>(
        t.store.db,
        sql`select relname from pg_class where relname in ('events', 'tasks', 'runs') and reltuples >= 0 order by relname`,
      );
      expect(rows.map((r) => r.relname)).toEqual(["events", "runs", "tasks"]);
    });
  });
}
