import { type NextRequest, NextResponse } from "next/server";
import { newNonce, pagePolicy } from "./lib/csp";
import { env } from "./lib/env";

/**
 * The largest body a matched route takes: a cancel's reason (lib/api/cancel-run.ts);
 * the dashboard's own posts take 16 KiB (readJsonBody), checked by each route.
 */
export const MAX_PROXIED_BODY_BYTES = 64 * 1024;

/**
 * Runs before every page, dashboard route and read/control API route:
 * - a path whose percent-escapes do not decode (`%E0%A4%A`, `%ED%A0%80`) is a 400
 *   here; Next.js would fail decoding the route's params and answer 500;
 * - a body declared larger than any of these routes takes is a 413 before it is
 *   read (Next.js buffers what a proxy might read; next.config.ts caps that too);
 * - pages get a fresh CSP nonce, set on the request (Next.js takes it from there
 *   for its own scripts) and on the response. Prefetches of next/link are RSC
 *   payloads, not HTML: no scripts to trust, no policy to build.
 * Ingest and static files are not matched: they pay nothing for this (API answers
 * get a fixed policy from next.config.ts).
 */
export function proxy(request: NextRequest): NextResponse {
  const { pathname } = request.nextUrl;
  const api = pathname.startsWith("/api/");
  if (!decodable(pathname)) return badPath(api);
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_PROXIED_BODY_BYTES) return tooLarge(declared);
  if (api || request.headers.has("next-router-prefetch") || request.headers.get("purpose") === "prefetch") return NextResponse.next();
  const policy = pagePolicy(newNonce(), env.dev);
  const headers = new Headers(request.headers);
  headers.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", policy);
  return response;
}

function decodable(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

function badPath(api: boolean): NextResponse {
  const message = "path: not valid percent-encoded UTF-8";
  if (api) return NextResponse.json({ error: { code: "invalid_params", message, field: "path" } }, { status: 400 });
  return new NextResponse(`Bad request: ${message}.`, { status: 400, headers: { "content-type": "text/plain; charset=utf-8" } });
}

function tooLarge(declared: number): NextResponse {
  const message = `body: ${declared} bytes, limit ${MAX_PROXIED_BODY_BYTES} bytes`;
  return NextResponse.json({ error: { code: "payload_too_large", message, field: "body" } }, { status: 413 });
}

export const config = {
  matcher: ["/((?!api/|_next/static/|_next/image|favicon.ico).*)", "/api/v1/runs/:path+"],
};
