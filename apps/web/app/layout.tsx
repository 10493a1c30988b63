import type { Metadata } from "next";
import { cookies } from "next/headers";
import { connection } from "next/server";
import { CsrfMeta } from "@/components/auth/header-account";
import { SiteHeader } from "@/components/site-header";
import { readThemeChoice, THEME_COOKIE, themeAttribute } from "@/lib/theme";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Runtrail", template: "%s · Runtrail" },
  description: "Runs and tasks of your agents, as timelines",
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Every page renders per request, so each carries its own CSP nonce (proxy.ts); a
  // prerendered page (the 404 of an unknown URL, say) would hold scripts without one.
  await connection();
  // Read here, so the server renders the chosen theme: no flash, no inline script.
  const theme = readThemeChoice((await cookies()).get(THEME_COOKIE)?.value);
  return (
    <html lang="en" data-theme={themeAttribute(theme)}>
      <body className="min-h-screen bg-zinc-50 text-zinc-900">
        <CsrfMeta />
        <a
          href="#main"
          className="sr-only rounded-md bg-white px-3 py-2 text-sm font-medium text-zinc-900 shadow-lg ring-1 ring-zinc-200 focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-50 focus:px-3 focus:py-2"
        >
          Skip to content
        </a>
        <SiteHeader theme={theme} />
        <main id="main" tabIndex={-1} className="mx-auto max-w-[1400px] px-6 py-8 outline-none">
          {children}
        </main>
      </body>
    </html>
  );
}
