/**
 * A `fetch` for the SDK that answers every ingest batch at once, in-process, the
 * way the server does when it stores everything (HTTP 200, no cancelled runs:
 * the shape of apps/web/app/api/v1/ingest/route.ts). Like the server it honours
 * `?results=errors`, which the SDK sends: `results` then lists only rejected and
 * conflicting events, so a clean batch's answer is `results: []` and the counts;
 * without it, one `accepted` result per event. The SDK still builds each request
 * body and parses each reply, so its queue drains as in production; only the
 * network and the server are gone.
 *
 * The time spent inside this fake server (counting the events of a body,
 * looking up the reply) is measured so the benchmark can subtract it: it is
 * bench overhead, not SDK cost.
 */

/** Same length and shape as the SDK's event ids (20 hex chars, ".", base-36 counter). */
const FAKE_ID = "0123456789abcdef0123.4fx";

/** Every event's envelope has `"seq":` once; the bench's own inputs and outputs never do. */
const EVENT_MARK = 'seq":';

function countEvents(body) {
  let count = 0;
  for (let i = body.indexOf(EVENT_MARK); i !== -1; i = body.indexOf(EVENT_MARK, i + EVENT_MARK.length)) count++;
  return count;
}

function replyText(count, errorsOnly) {
  const results = [];
  if (!errorsOnly) for (let index = 0; index < count; index++) results.push({ index, id: FAKE_ID, status: "accepted" });
  return JSON.stringify({ results, accepted: count, duplicates: 0, conflicts: 0, rejected: 0, cancelledRuns: [] });
}

function asksErrorsOnly(url) {
  return new URL(url).searchParams.get("results") === "errors";
}

const NO_HEADERS = { get: () => null };

export function createFakeIngest() {
  /** Replies by event count and shape: built once, so a batch costs the fake server a scan and a lookup. */
  const replies = new Map();
  /** `?results=errors` by URL: the SDK posts to one URL. */
  const modes = new Map();
  let events = 0;
  let requests = 0;
  let serverNs = 0n;

  async function fetch(url, init) {
    const started = process.hrtime.bigint();
    let errorsOnly = modes.get(url);
    if (errorsOnly === undefined) {
      errorsOnly = asksErrorsOnly(url);
      modes.set(url, errorsOnly);
    }
    const count = countEvents(init.body);
    const key = errorsOnly ? -count : count;
    let reply = replies.get(key);
    if (reply === undefined) {
      const text = Promise.resolve(replyText(count, errorsOnly));
      reply = { status: 200, headers: NO_HEADERS, text: () => text };
      replies.set(key, reply);
    }
    events += count;
    requests++;
    serverNs += process.hrtime.bigint() - started;
    return reply;
  }

  return {
    fetch,
    /** Events and requests answered, and nanoseconds spent in the fake server, so far. */
    stats: () => ({ events, requests, serverNs }),
  };
}
