import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "./client.js";
import { migrate } from "./migrate.js";
import { MIGRATIONS } from "./migrations.generated.js";
import { type TestStore, testStoreKinds } from "./testing/stores.js";

for (const kind of await testStoreKinds()) {
  describe(`migrate on ${kind.name}`, () => {
    let t: TestStore;
    beforeAll(async () => {
      t = await kind.open(); // opens and migrates once
    });
    afterAll(async () => {
      await t.cleanup();
    });

    it("is a no-op the second time", async () => {
      expect(await migrate(t.store)).toEqual({ applied: [] });
    });

    it.runIf(kind.name !== "pglite")("lets several processes migrate one database at once", async () => {
      const url = t.env.DATABASE_URL ?? "";
      const stores = await Promise.all([1, 2, 3].map(() => openStore({ databaseUrl: url, maxConnections: 2 })));
      try {
        const results = await Promise.all(stores.map((s) => migrate(s)));
        expect(results.flatMap((r) => r.applied)).toEqual([]);
      } finally {
        await Promise.all(stores.map((s) => s.close()));
      }
    });

    // A fresh PGlite (WASM start-up, then every migration) takes seconds alone and far longer on a loaded machine.
    it("applies every embedded migration on an empty database", { timeout: 180_000 }, async () => {
      const fresh = await openStore({ dataDir: null });
      try {
        const { applied } = await migrate(fresh);
        expect(applied).toEqual(MIGRATIONS.map((m) => m.tag));
      } finally {
        await fresh.close();
      }
    });
  });
}
