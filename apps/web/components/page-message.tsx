import Link from "next/link";

/** The card of the not-found and error pages: an icon, a title, a few words and where to go next. */
export function PageMessage({
  tone,
  eyebrow,
  title,
  children,
  actions,
}: {
  tone: "neutral" | "danger";
  eyebrow?: string;
  title: string;
  children: React.ReactNode;
  actions: React.ReactNode;
}) {
  const ring = tone === "danger" ? "bg-rose-50 text-rose-600 ring-rose-200" : "bg-zinc-100 text-zinc-500 ring-zinc-200";
  return (
    <div role={tone === "danger" ? "alert" : undefined} className="mx-auto mt-16 max-w-md rounded-xl border border-zinc-200 bg-white px-8 py-10 text-center shadow-sm">
      <div className={`mx-auto flex size-11 items-center justify-center rounded-full ring-1 ${ring}`}>
        <svg viewBox="0 0 20 20" className="size-5" aria-hidden="true">
          {tone === "danger" ? (
            <path fill="currentColor" d="M10 2.2 1.6 16.8h16.8L10 2.2zm0 4.3c.5 0 .9.4.9.9v4.3a.9.9 0 01-1.8 0V7.4c0-.5.4-.9.9-.9zm0 7.1a1.05 1.05 0 110 2.1 1.05 1.05 0 010-2.1z" />
          ) : (
            <path fill="none" stroke="currentColor" strokeWidth="1.7" strokeLinecap="round" d="M8.75 14.5a5.75 5.75 0 100-11.5 5.75 5.75 0 000 11.5zM13 13l4 4M7 7l3.5 3.5M10.5 7 7 10.5" />
          )}
        </svg>
      </div>
      {eyebrow && <p className="mt-4 font-mono text-xs text-zinc-500">{eyebrow}</p>}
      <h1 className={`${eyebrow ? "mt-1" : "mt-4"} text-lg font-semibold text-zinc-900`}>{title}</h1>
      <div className="mt-2 text-sm text-zinc-600">{children}</div>
      <div className="mt-6 flex justify-center gap-2 text-sm">{actions}</div>
    </div>
  );
}

export const primaryAction = "rounded-md bg-zinc-900 px-4 py-2 font-medium text-white hover:bg-zinc-700";
export const secondaryAction = "rounded-md px-4 py-2 font-medium text-zinc-700 ring-1 ring-zinc-200 hover:bg-zinc-50";

export function ActionLink({ href, primary, children }: { href: string; primary?: boolean; children: React.ReactNode }) {
  return (
    <Link href={href} className={primary ? primaryAction : secondaryAction}>
      {children}
    </Link>
  );
}
