/**
 * The dashboard's Content-Security-Policy. Pages get a fresh nonce per request
 * (proxy.ts); Next.js reads it from the request's CSP header and puts it on its
 * own scripts and inline styles, and `'strict-dynamic'` extends the trust to the
 * chunks those scripts load. Nothing else runs: no inline script, no eval, no
 * script from another origin.
 *
 * Styles: `<style>` elements need the nonce too (Tailwind's CSS is a file, so
 * 'self'), but style *attributes* are allowed (`style-src-attr 'unsafe-inline'`):
 * the timeline positions its bars and recharts sizes its charts with them, both
 * in the server-rendered HTML, where a nonce cannot go. A style attribute cannot
 * run script or read the page (no selectors), and `img-src` keeps `url()` from
 * reaching other origins, so an attribute injected past React's escaping could
 * only restyle its own element.
 */
export function pagePolicy(nonce: string, dev: boolean): string {
  return [
    "default-src 'self'",
    // 'self' only serves CSP 2 browsers, which ignore 'strict-dynamic'; newer ones ignore 'self' here.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    `style-src 'self' 'nonce-${nonce}'`,
    `style-src-elem 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** 128 random bits, base64: unguessable, fresh for every page. */
export function newNonce(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
}
