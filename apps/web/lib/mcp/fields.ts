import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { describeError, isTransientStoreError } from "@/lib/api/responses";
import { env } from "@/lib/env";
import { storableText, unstorable } from "@/lib/ingest/sanitize";
import { cut } from "./text";

/**
 * Tool arguments and answers shared by the MCP tools. Argument schemas are plain (no
 * transforms: the SDK turns them into JSON Schema for tools/list); values are cleaned
 * as the HTTP API cleans its query fields.
 */

export const runIdArg = z.string().min(1).max(env.limits.idChars).describe("The run's id (a trace id in hex for runs sent over OTLP)");
export const taskIdArg = z.string().min(1).max(env.limits.idChars).describe("The task's id (a span id in hex for OTLP runs)");
export const cursorArg = z.string().min(1).max(1000).describe("The cursor a previous page ended with");

/** Characters a single field's page returns (get_run / get_task with `field`). */
export const FIELD_PAGE = 20_000;

export function text(body: string): CallToolResult {
  return { content: [{ type: "text", text: body }] };
}

/** A tool error the agent reads (not found, already finished, a bad argument). */
export function failure(body: string): CallToolResult {
  return { content: [{ type: "text", text: body }], isError: true };
}

/** Why an id could not name anything stored (a NUL, a lone surrogate), or null. */
export function badId(value: string, field: string): CallToolResult | null {
  const why = unstorable(value);
  return why ? failure(`${field}: ${why}`) : null;
}

/** A text filter made storable, as stored texts were. */
export const filterText = (value: string | undefined): string | undefined => (value === undefined ? undefined : storableText(value));

/** An ISO-8601 time argument, or why not. */
export function timeArg(value: string | undefined, field: string): { ok: true; date: Date | undefined } | { ok: false; result: CallToolResult } {
  if (value === undefined) return { ok: true, date: undefined };
  const date = new Date(value);
  const year = date.getUTCFullYear();
  if (Number.isNaN(date.getTime()) || year < 1 || year > 9999) return { ok: false, result: failure(`${field}: must be an ISO-8601 date-time such as 2026-01-31T12:00:00Z`) };
  return { ok: true, date };
}

/**
 * A page of one long field: FIELD_PAGE characters from `offset`, with how to read on.
 * `call` is the call that reads it (`get_task with runId="…", taskId="…", field="input"`).
 */
export function fieldPage(label: string, body: string, offset: number, call: string): string {
  if (offset >= body.length && body.length > 0) return `${label}: nothing at offset ${offset}; it has ${body.length.toLocaleString("en-US")} characters.`;
  const end = offset + FIELD_PAGE;
  const head = `${label}, characters ${offset.toLocaleString("en-US")}–${Math.min(end, body.length).toLocaleString("en-US")} of ${body.length.toLocaleString("en-US")}:`;
  const more = end < body.length ? `\n… [more: ${call} and offset=${end}]` : "";
  return `${head}\n${body.slice(offset, end)}${more}`;
}

/** A field's first `max` characters for an overview, the marker saying how to read the rest. */
export function preview(body: string, max: number, call: string): string {
  return cut(body, max, `${call} returns it a page at a time`);
}

/**
 * A tool callback whose unexpected failures become a tool error in our words: the SDK
 * would hand the agent the error's own message, and a store error's names the statement.
 * The cause goes to the server log (without the statement's values).
 */
export function guarded<A extends unknown[]>(fn: (...args: A) => Promise<CallToolResult>): (...args: A) => Promise<CallToolResult> {
  return async (...args) => {
    try {
      return await fn(...args);
    } catch (err) {
      if (isTransientStoreError(err)) {
        console.error(`runtrail: store unavailable: ${describeError(err).split("\n")[0]}`);
        return failure("the database is unavailable; retry shortly");
      }
      console.error(`runtrail: MCP tool failed\n${describeError(err)}`);
      return failure("internal error; it has been logged on the server");
    }
  };
}
