import { apiError } from "@/lib/api/responses";
import { isSameOrigin } from "@/lib/same-origin";
import { readThemeChoice, themeCookie } from "@/lib/theme";

/**
 * The theme switch without JavaScript: the header's form posts `theme` here; the
 * cookie is set and the browser goes back to the page it came from (same site only).
 */
export async function POST(request: Request): Promise<Response> {
  if (!isSameOrigin(request)) return apiError(403, "cross_site", "theme: only the dashboard's own pages may set the theme");
  const form = await request.formData().catch(() => null);
  const raw = form?.get("theme");
  if (raw !== "system" && raw !== "light" && raw !== "dark") {
    return apiError(400, "invalid_params", `theme: must be system, light or dark, got ${JSON.stringify(raw ?? null)}`, { field: "theme" });
  }
  const url = new URL(request.url);
  return new Response(null, {
    status: 303,
    headers: { location: backTo(request, url), "set-cookie": themeCookie(readThemeChoice(raw), url.protocol === "https:") },
  });
}

/** The referring page when it is on this site, else the overview: never an open redirect. */
function backTo(request: Request, url: URL): string {
  const referer = request.headers.get("referer");
  if (!referer) return "/overview";
  try {
    const from = new URL(referer);
    if (from.host !== (request.headers.get("host") ?? url.host)) return "/overview";
    // "//evil.example/x" (or "/\\evil…") as a Location is another site.
    return /^\/[/\\]/.test(from.pathname) ? "/overview" : `${from.pathname}${from.search}`;
  } catch {
    return "/overview";
  }
}
