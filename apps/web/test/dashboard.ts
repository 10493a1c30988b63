import { rawRequest, toHeaders } from "./raw-http";

/**
 * A browser-like client of the dashboard for integration tests: keeps cookies, signs
 * in the way the login form does (GET /auth/csrf, then POST /auth/login), and sends the
 * page's CSRF token with state-changing requests.
 */

export interface DashboardReply {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: test JSON
  body: any;
  headers: Headers;
  text: string;
}

export class DashboardClient {
  readonly jar = new Map<string, string>();
  csrfToken: string | null = null;

  /** `from`: the source address to connect from (127.0.0.2, …), as another machine would. */
  constructor(
    readonly baseUrl: string,
    readonly from?: string,
  ) {}

  cookieHeader(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  private keep(headers: Headers): void {
    for (const line of headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (/max-age=0/i.test(line) || value === "") this.jar.delete(name);
      else this.jar.set(name, value);
    }
  }

  /** A raw request with this client's cookies; redirects are not followed. */
  async request(path: string, init: { method?: string; json?: unknown; headers?: Record<string, string>; csrf?: boolean } = {}): Promise<DashboardReply> {
    const headers: Record<string, string> = { ...init.headers };
    if (this.jar.size > 0) headers.cookie = this.cookieHeader();
    if (init.csrf && this.csrfToken) headers["x-csrf-token"] = this.csrfToken;
    let body: string | undefined;
    if (init.json !== undefined) {
      body = JSON.stringify(init.json);
      headers["content-type"] = "application/json";
    }
    const method = init.method ?? (body ? "POST" : "GET");
    let status: number;
    let resHeaders: Headers;
    let text: string;
    if (this.from) {
      const raw = await rawRequest(this.baseUrl, path, { method, headers, body, from: this.from });
      ({ status, text } = raw);
      resHeaders = toHeaders(raw.headers);
    } else {
      const res = await fetch(`${this.baseUrl}${path}`, { method, headers, body, redirect: "manual" });
      status = res.status;
      resHeaders = res.headers;
      text = await res.text();
    }
    this.keep(resHeaders);
    let parsed: unknown = null;
    if ((resHeaders.get("content-type") ?? "").includes("json")) parsed = JSON.parse(text);
    return { status, body: parsed, headers: resHeaders, text };
  }

  /** Signs in like the login form; returns the login answer. Loads the CSRF token of the new session from a page. */
  async login(email: string, password: string, next?: string): Promise<DashboardReply> {
    const csrf = await this.request("/auth/csrf");
    const res = await this.request("/auth/login", { json: { email, password, next }, headers: { "x-csrf-token": csrf.body.token } });
    if (res.status === 200) await this.loadCsrf();
    return res;
  }

  /** Reads <meta name="csrf-token"> from a page, as the dashboard's scripts do. */
  async loadCsrf(path = "/settings/account"): Promise<string> {
    const page = await this.request(path);
    const match = /<meta name="csrf-token" content="([^"]+)"/.exec(page.text);
    if (!match?.[1]) throw new Error(`no csrf-token meta on ${path} (HTTP ${page.status})`);
    this.csrfToken = match[1];
    return match[1];
  }

  /** A state-changing dashboard request with the CSRF token. */
  send(path: string, json: unknown, method = "POST"): Promise<DashboardReply> {
    return this.request(path, { method, json, csrf: true });
  }
}

/**
 * Where a signed-out page sent the client: a 307's Location, or, for pages that stream a
 * loading state first (runs, run, overview), the redirect Next.js puts in the stream
 * (a meta refresh and the router's NEXT_REDIRECT), which browsers follow at once.
 */
export function loginRedirectOf(reply: DashboardReply): string | null {
  if (reply.status === 307 || reply.status === 303) return reply.headers.get("location");
  if (reply.status !== 200) return null;
  const streamed = /NEXT_REDIRECT;replace;([^;]+);307;/.exec(reply.text);
  // The same URL sits in an HTML attribute (&amp;) and in the RSC payload (\u0026).
  return streamed?.[1]?.replaceAll("\\u0026", "&").replaceAll("&amp;", "&") ?? null;
}
