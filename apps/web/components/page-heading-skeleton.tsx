/**
 * A page's title and one-line description while it loads, with what sits at the right
 * of the heading (`children`: a range picker, status tabs). Widths are Tailwind classes
 * sized like the text they stand for, so the page does not jump when it arrives.
 */
export function PageHeadingSkeleton({ titleWidth, descriptionWidth, children }: { titleWidth: string; descriptionWidth: string; children: React.ReactNode }) {
  return (
    <div className="flex flex-wrap items-end justify-between gap-4">
      <div>
        <div className={`h-8 ${titleWidth} animate-pulse rounded bg-zinc-200`} />
        <div className={`mt-2 h-4 ${descriptionWidth} max-w-full animate-pulse rounded bg-zinc-100`} />
      </div>
      {children}
    </div>
  );
}
