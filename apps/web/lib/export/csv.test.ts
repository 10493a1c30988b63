import type { ExportTask } from "@runtrail/db";
import { describe, expect, it } from "vitest";
import { CSV_COLUMNS, CSV_HEADER, csvRows } from "./csv";

const task = (over: Partial<ExportTask>): ExportTask => ({
  id: "t1",
  parentTaskId: null,
  name: "parse-pdf",
  status: "completed",
  input: null,
  output: null,
  errorMessage: null,
  errorStack: null,
  statusMessage: null,
  progress: null,
  inputTokens: null,
  outputTokens: null,
  costUsd: null,
  seq: 1,
  startMs: Date.UTC(2030, 0, 1),
  endMs: Date.UTC(2030, 0, 1) + 1500,
  version: 1,
  ...over,
});

describe("CSV export rows", () => {
  it("has a header naming every column, CRLF after each record", () => {
    expect(CSV_HEADER).toBe(`${CSV_COLUMNS.join(",")}\r\n`);
    expect(csvRows([task({})])).toBe("t1,,parse-pdf,completed,2030-01-01T00:00:00.000Z,2030-01-01T00:00:01.500Z,1500,,,,,,,,,\r\n");
    expect(csvRows([])).toBe("");
  });

  it("quotes commas, quotes and line breaks (RFC 4180); payloads are their JSON text", () => {
    const row = csvRows([task({ name: 'say "hi", twice', errorMessage: "line 1\nline 2\r\nline 3", input: '{"a": [1, 2]}', output: '"text"' })]);
    expect(row).toContain('"say ""hi"", twice"');
    expect(row).toContain('"line 1\nline 2\r\nline 3"');
    expect(row).toContain('"{""a"": [1, 2]}"');
    expect(row).toContain(',"""text"""\r\n');
  });

  it("defuses cells a spreadsheet would run as a formula, keeping everything else as is", () => {
    for (const start of ["=", "+", "-", "@", "\t", "\r", "＝"]) {
      expect(csvRows([task({ name: `${start}HYPERLINK("http://evil")` })])).toContain(`'${start}HYPERLINK`);
    }
    expect(csvRows([task({ name: "東京 ✓ Grüße 🚀" })])).toContain(",東京 ✓ Grüße 🚀,");
    // Our own numbers are never touched (durations and counts are not negative).
    expect(csvRows([task({ inputTokens: 0, costUsd: 0.25, progress: 1 })])).toContain(",1,0,,0.25,");
  });

  it("leaves absent times and durations empty", () => {
    expect(csvRows([task({ startMs: null, endMs: null, seq: null, status: "failed" })])).toBe("t1,,parse-pdf,failed,,,,,,,,,,,,\r\n");
  });
});
