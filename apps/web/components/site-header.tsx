import Link from "next/link";
import type { ThemeChoice } from "@/lib/theme";
import { HeaderAccount, SignedIn } from "./auth/header-account";
import { NavLink } from "./nav-link";
import { ThemeSwitch } from "./theme-switch";

function Logo() {
  return (
    <svg viewBox="0 0 24 24" className="size-6" aria-hidden="true">
      <rect x="2" y="4" width="9" height="3.5" rx="1.75" className="fill-emerald-600" />
      <rect x="7" y="10.25" width="13" height="3.5" rx="1.75" className="fill-sky-600" />
      <rect x="5" y="16.5" width="7" height="3.5" rx="1.75" className="fill-rose-600" />
    </svg>
  );
}

/**
 * The header is dark in both themes: data-theme="dark" makes it a dark island, so its
 * classes are written for the dark palette (bg-white is the dark surface there, text-zinc-950
 * near white, fill-emerald-600 the bright emerald).
 */
export async function SiteHeader({ theme }: { theme: ThemeChoice }) {
  return (
    <header data-theme="dark" className="sticky top-0 z-20 border-b border-zinc-200 bg-white">
      <div className="mx-auto flex h-14 max-w-[1400px] items-center gap-8 px-6">
        <Link href="/overview" className="flex items-center gap-2 rounded-md text-[15px] font-semibold tracking-tight text-zinc-950">
          <Logo />
          Runtrail
        </Link>
        <SignedIn>
          <nav className="flex items-center gap-1 text-sm" aria-label="Main">
            <NavLink href="/overview">Overview</NavLink>
            <NavLink href="/runs">Runs</NavLink>
            <NavLink href="/settings">Settings</NavLink>
          </nav>
        </SignedIn>
        <div className="ml-auto flex items-center gap-3">
          <HeaderAccount />
          <ThemeSwitch initial={theme} />
        </div>
      </div>
    </header>
  );
}
