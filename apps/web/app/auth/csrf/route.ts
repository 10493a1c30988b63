import { randomBytes } from "node:crypto";
import { json } from "@/lib/api/responses";
import { setCookie } from "@/lib/auth/cookies";

/**
 * GET /auth/csrf → { token }: the sign-in form's CSRF token, before any session exists.
 * The same value goes into an HttpOnly, SameSite=Strict cookie; /auth/login wants both
 * to match (double submit), which a page on another site can neither read nor plant.
 */
export async function GET(request: Request): Promise<Response> {
  const token = randomBytes(32).toString("base64url");
  const res = json({ token });
  res.headers.append("set-cookie", setCookie(request, "loginCsrf", token, { maxAgeS: 3600, sameSite: "Strict" }));
  return res;
}
