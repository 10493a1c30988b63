import type { Db } from "@runtrail/db";

/** What every tool call runs with: the store and the caller's API key and project. */
export interface ToolContext {
  db: Db;
  projectId: string;
  keyId: string;
}
