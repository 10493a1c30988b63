import { expect } from "vitest";
import { loginRedirectOf } from "./dashboard";

/**
 * `next` values that try to send a visitor off this origin after the login page: the
 * probe's findings (a path that *normalises* to "//host"), their encoded forms, and the
 * classic tricks (backslashes, tabs and newlines browsers drop, schemes). Each is given
 * raw, as the login page's query reads it (after one decoding by the server).
 */
export const HOSTILE_NEXT: readonly string[] = [
  "//evil.example",
  "///evil.example",
  "/..//evil.example",
  "/.//evil.example",
  "/x/..//evil.example",
  "/x/../..//evil.example/path",
  "/./..//evil.example",
  "/%2e%2e//evil.example",
  "/%2E%2E//evil.example",
  "/.%2e//evil.example",
  "/%2e//evil.example",
  "/%252e%252e//evil.example",
  "/%2f%2fevil.example",
  "/%2F/evil.example",
  "/\\evil.example",
  "/\\/evil.example",
  "\\\\evil.example",
  "/..\\/evil.example",
  "/\t/evil.example",
  "/\n/evil.example",
  "/\r\n/evil.example",
  "/\u0000/evil.example",
  " //evil.example",
  "https://evil.example/",
  "https:evil.example",
  "http:/evil.example",
  "javascript:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "//evil.example@runtrail.invalid",
  "/..;//evil.example",
  "/%5c%5cevil.example",
  "/\u3000/evil.example",
];

/** Each hostile value as the login page's query, percent-encoded and (where a URL can carry it) as typed. */
export function nextQueries(): { value: string; query: string }[] {
  const out: { value: string; query: string }[] = [];
  for (const value of HOSTILE_NEXT) {
    out.push({ value, query: `/login?next=${encodeURIComponent(value)}` });
    // biome-ignore lint/suspicious/noControlCharactersInRegex: values a URL cannot carry as typed
    if (!/[\u0000-\u0020#&\u007f\u3000]/.test(value)) out.push({ value, query: `/login?next=${value}` });
  }
  return out;
}

/** The redirect of a reply stays on `origin` (a 307's Location, or the one streamed into a 200). */
export function expectStaysOn(origin: string, reply: { status: number; headers: Headers; text: string }, what: string): void {
  const location = loginRedirectOf({ ...reply, body: null });
  expect(location, `${what}: HTTP ${reply.status}`).not.toBeNull();
  const where = location ?? "";
  expect(where, what).toMatch(/^\/(?![/\\])/);
  // Browsers drop tabs and newlines from a URL before resolving it.
  expect(new URL(where.replace(/[\t\n\r]/g, ""), origin).origin, what).toBe(origin);
}
