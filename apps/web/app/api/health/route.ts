import { sql } from "drizzle-orm";
import { json } from "@/lib/api/responses";
import { ready } from "@/lib/store";

/** GET /api/health — liveness, and which store is in use (200, or 503 when the store fails). */
export async function GET(): Promise<Response> {
  try {
    const { store } = await ready();
    await store.db.execute(sql`select 1`);
    return json({ status: "ok", store: store.kind });
  } catch (err) {
    return json({ status: "unavailable", error: (err as Error).message }, 503);
  }
}
