/**
 * Browser side of the dashboard's own routes: every state-changing request carries the
 * page's CSRF token (rendered by the root layout as <meta name="csrf-token">), and a 401
 * (session expired) sends the user to sign in and back.
 */

export function csrfHeaders(): Record<string, string> {
  const token = document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')?.content;
  return token ? { "x-csrf-token": token } : {};
}

export interface DashboardAnswer<T> {
  ok: boolean;
  status: number;
  data: T | null;
  /** The server's error message, when it sent one. */
  error: string | null;
}

export async function sendJson<T = unknown>(url: string, body: unknown, method = "POST"): Promise<DashboardAnswer<T>> {
  const res = await fetch(url, {
    method,
    headers: { "content-type": "application/json", ...csrfHeaders() },
    body: JSON.stringify(body ?? {}),
  });
  const parsed = (await res.json().catch(() => null)) as (T & { error?: { message?: string } }) | null;
  if (res.status === 401) {
    window.location.assign(`/login?next=${encodeURIComponent(window.location.pathname + window.location.search)}`);
  }
  return {
    ok: res.ok,
    status: res.status,
    data: res.ok ? parsed : null,
    error: res.ok ? null : (parsed?.error?.message ?? `HTTP ${res.status}`),
  };
}
