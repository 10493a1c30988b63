import type { UsageView } from "@runtrail/db";

/** Small pieces the task and run panels share. */

export function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-[11px] font-medium tracking-wide text-zinc-400 uppercase">{label}</dt>
      <dd className="mt-0.5 text-sm text-zinc-800">{children}</dd>
    </div>
  );
}

export function Section({ title, aside, children }: { title: string; aside?: React.ReactNode; children: React.ReactNode }) {
  return (
    <section className="space-y-2" aria-label={title}>
      <div className="flex items-center justify-between gap-2">
        <h3 className="text-xs font-semibold text-zinc-500">{title}</h3>
        {aside}
      </div>
      {children}
    </section>
  );
}

export function Skeleton() {
  return (
    <div className="space-y-2 rounded-md bg-zinc-50 p-3" data-testid="task-payload-loading" aria-busy="true">
      <div className="h-3 w-2/3 animate-pulse rounded bg-zinc-200" />
      <div className="h-3 w-1/2 animate-pulse rounded bg-zinc-200" />
      <div className="h-3 w-3/5 animate-pulse rounded bg-zinc-200" />
    </div>
  );
}

/** "$0.0031", "$1.20": cents for sums, two significant digits under a cent. */
export function formatCost(usd: number): string {
  return `$${usd < 0.01 && usd > 0 ? usd.toPrecision(2) : usd.toFixed(2)}`;
}

export function UsageFields({ usage }: { usage: UsageView }) {
  const tokens = new Intl.NumberFormat("en-US");
  return (
    <>
      <Field label="Tokens in / out">
        <span className="tabular-nums">
          {tokens.format(usage.inputTokens)} / {tokens.format(usage.outputTokens)}
        </span>
      </Field>
      <Field label="Cost">
        <span className="tabular-nums">{formatCost(usage.costUsd)}</span>
      </Field>
    </>
  );
}

/** A 0..1 progress bar with its percentage. */
export function Progress({ value }: { value: number }) {
  const pct = Math.round(value * 100);
  return (
    <div className="flex items-center gap-2" title={`${pct}% done`}>
      <div className="h-1.5 flex-1 overflow-hidden rounded-full bg-zinc-200" role="progressbar" aria-valuenow={pct} aria-valuemin={0} aria-valuemax={100} aria-label="Progress">
        <div className="h-full rounded-full bg-run-running" style={{ width: `${pct}%` }} />
      </div>
      <span className="text-xs text-zinc-500 tabular-nums">{pct}%</span>
    </div>
  );
}
