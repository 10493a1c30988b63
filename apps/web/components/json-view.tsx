/** Pretty-printed JSON with token colours; strings render as text, never as HTML. */

const TOKEN = /("(?:\\.|[^"\\])*")(\s*:)?|\b(true|false|null)\b|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g;

export function JsonView({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <p className="text-sm text-zinc-400 italic">none</p>;
  const text = JSON.stringify(value, null, 2) ?? String(value);
  const parts: React.ReactNode[] = [];
  let last = 0;
  for (const m of text.matchAll(TOKEN)) {
    const at = m.index ?? 0;
    if (at > last) parts.push(text.slice(last, at));
    const [whole, str, colon, lit, num] = m;
    const cls = str ? (colon ? "text-sky-800" : "text-emerald-700") : lit ? "text-violet-700" : num ? "text-amber-700" : "";
    parts.push(
      <span key={at} className={cls}>
        {str ?? whole}
      </span>,
    );
    if (colon) parts.push(colon);
    last = at + whole.length;
  }
  parts.push(text.slice(last));
  return (
    <pre className="max-h-96 overflow-auto rounded-md bg-zinc-50 p-3 font-mono text-xs leading-relaxed text-zinc-800 ring-1 ring-zinc-200 ring-inset">
      {parts}
    </pre>
  );
}
