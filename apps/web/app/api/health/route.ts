import { pingStore } from "@runtrail/db";
import { describeError, json } from "@/lib/api/responses";
import { ready } from "@/lib/store";

/**
 * GET /api/health — liveness, and which store is in use (200, or 503 when the store
 * fails). Open to all: the cause (host names, users, paths) goes to the server log only.
 */
export async function GET(): Promise<Response> {
  try {
    const { store } = await ready();
    await pingStore(store.db);
    return json({ status: "ok", store: store.kind });
  } catch (err) {
    console.error(`runtrail: health check failed: ${describeError(err).split("\n")[0]}`);
    return json({ status: "unavailable", error: "the database does not answer; see the server log" }, 503);
  }
}
