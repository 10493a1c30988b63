import type { Metadata } from "next";
import Link from "next/link";
import { CsrfMeta, HeaderAccount, SignedIn } from "@/components/auth/header-account";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Runtrail", template: "%s · Runtrail" },
  description: "Runs and tasks of your agents, as timelines",
};

function Logo() {
  return (
    <svg viewBox="0 0 24 24" className="size-6" aria-hidden="true">
      <rect x="2" y="4" width="9" height="3.5" rx="1.75" className="fill-emerald-400" />
      <rect x="7" y="10.25" width="13" height="3.5" rx="1.75" className="fill-sky-400" />
      <rect x="5" y="16.5" width="7" height="3.5" rx="1.75" className="fill-rose-400" />
    </svg>
  );
}

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-zinc-50 text-zinc-900">
        <CsrfMeta />
        <header className="sticky top-0 z-20 border-b border-zinc-800 bg-zinc-900">
          <div className="mx-auto flex h-14 max-w-[1400px] items-center gap-8 px-6">
            <Link href="/overview" className="flex items-center gap-2 text-[15px] font-semibold tracking-tight text-white">
              <Logo />
              Runtrail
            </Link>
            <SignedIn>
              <nav className="flex items-center gap-1 text-sm">
                <Link href="/overview" className="rounded-md px-3 py-1.5 font-medium text-zinc-300 hover:bg-zinc-800 hover:text-white">
                  Overview
                </Link>
                <Link href="/runs" className="rounded-md px-3 py-1.5 font-medium text-zinc-300 hover:bg-zinc-800 hover:text-white">
                  Runs
                </Link>
                <Link href="/settings/keys" className="rounded-md px-3 py-1.5 font-medium text-zinc-300 hover:bg-zinc-800 hover:text-white">
                  Settings
                </Link>
              </nav>
            </SignedIn>
            <HeaderAccount />
          </div>
        </header>
        <main className="mx-auto max-w-[1400px] px-6 py-8">{children}</main>
      </body>
    </html>
  );
}
