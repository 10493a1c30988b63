import { unusableCharacters, unusablePasswordCharacters } from "@runtrail/db";
import { z } from "zod";
import { readBody } from "@/lib/api/body";
import { firstIssue } from "@/lib/api/json-body";
import { apiError, storeError } from "@/lib/api/responses";
import { readCookie, requestCookies } from "@/lib/auth/cookies";
import { safeNextPath } from "@/lib/auth/next-path";
import { checkCsrf } from "@/lib/auth/route-guard";
import { signIn } from "@/lib/auth/sign-in";
import { getDb } from "@/lib/store";

/** `{ email, password, next? }`; a body that is not an object lacks the email. */
const LoginBody = z.preprocess(
  (v) => (v !== null && typeof v === "object" && !Array.isArray(v) ? v : {}),
  z.object({
    email: z.string("required").trim().min(1, "required"),
    password: z.string("required").min(1, "required"),
    next: z.unknown().optional(),
  }),
);

/**
 * POST /auth/login { email, password, next? } → { ok, next } and the session cookie.
 * Needs the x-csrf-token of GET /auth/csrf, matching its cookie. Errors: 400 body (or an
 * email with control characters, a password with a NUL), 401 wrong email or password,
 * 403 CSRF or disabled account, 429 throttled.
 */
export async function POST(request: Request): Promise<Response> {
  const cookie = readCookie(requestCookies(request), "loginCsrf");
  const refused = checkCsrf(request, cookie ?? "");
  // No cookie compares as "": a missing or mismatched token is refused right there.
  if (refused) return refused;
  const body = await readBody(request, 16 * 1024);
  if (!body.ok) return body.response;
  let raw: unknown;
  try {
    raw = JSON.parse(body.text);
  } catch {
    return apiError(400, "invalid_body", "body: must be JSON { email, password }", { field: "body" });
  }
  const parsed = LoginBody.safeParse(raw);
  if (!parsed.success) {
    const { field, message } = firstIssue(parsed.error);
    return apiError(400, "invalid_params", `${field}: ${message}`, { field });
  }
  const input = parsed.data;
  // Accounts are never made with such emails (cleanEmail), and Postgres refuses a NUL
  // outright: a 400 naming the field, before any lookup.
  const badEmail = unusableCharacters(input.email);
  if (badEmail) return apiError(400, "invalid_params", `email: ${badEmail}`, { field: "email" });
  // Refused when set too: "secret\0" would otherwise sign in as "secret" (scrypt pads with zeros).
  const badPassword = unusablePasswordCharacters(input.password);
  if (badPassword) return apiError(400, "invalid_params", `password: ${badPassword}`, { field: "password" });
  if (input.email.length > 254 || input.password.length > 1024) return apiError(401, "invalid_credentials", "wrong email or password");
  try {
    return await signIn(request, await getDb(), input.email, input.password, safeNextPath(input.next));
  } catch (err) {
    return storeError(err);
  }
}
