"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

export interface SettingsLink {
  href: string;
  label: string;
  hint: string;
}

/** The settings area's side menu; the current page is marked. */
export function SettingsNav({ links }: { links: SettingsLink[] }) {
  const path = usePathname();
  return (
    <nav aria-label="Settings" className="flex flex-row gap-1 overflow-x-auto md:flex-col">
      {links.map((l) => {
        const active = path === l.href;
        return (
          <Link
            key={l.href}
            href={l.href}
            aria-current={active ? "page" : undefined}
            className={`rounded-lg px-3 py-2 text-sm ${active ? "bg-white font-medium text-zinc-900 shadow-sm ring-1 ring-zinc-200" : "text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900"}`}
          >
            {l.label}
            <span className="hidden text-xs font-normal text-zinc-400 md:block">{l.hint}</span>
          </Link>
        );
      })}
    </nav>
  );
}
