import { afterAll, beforeAll } from "vitest";
import type { TestStore, TestStoreKind } from "./test-store.js";

/**
 * The store of one `describe` block: opened in its `beforeAll`, cleaned up in its
 * `afterAll`. Call it inside the block; read its fields inside tests and hooks only (they
 * are filled in when the block starts).
 */
export function suiteStore(kind: TestStoreKind): TestStore {
  const suite = {} as TestStore;
  beforeAll(async () => {
    Object.assign(suite, await kind.open());
  });
  afterAll(async () => {
    await suite.cleanup?.();
  });
  return suite;
}
