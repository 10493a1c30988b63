/** Plain aligned columns for a terminal; empty cells show as "-". */
export function table(header: readonly string[], rows: readonly (readonly (string | null | undefined)[])[]): string[] {
  const cells = [header, ...rows.map((r) => r.map((c) => (c === null || c === undefined || c === "" ? "-" : c)))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
  return cells.map((r) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : (c ?? "").padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd(),
  );
}

export const when = (d: Date | null) => (d ? d.toISOString().replace("T", " ").slice(0, 16) : null);
