import type { ExportTask } from "@runtrail/db";
import { describe, expect, it } from "vitest";
import { jsonItems, taskJson } from "./json";

const base: ExportTask = {
  id: 'a"b',
  parentTaskId: "p",
  name: "fetch\u2028users",
  status: "failed",
  input: '{"file": "r.pdf", "n": [1, 2.5, null]}',
  output: null,
  errorMessage: "Connection refused",
  errorStack: "Error\n  at x",
  statusMessage: null,
  progress: 0.5,
  inputTokens: 10,
  outputTokens: null,
  costUsd: 0.01,
  seq: 7,
  startMs: Date.UTC(2030, 0, 1),
  endMs: Date.UTC(2030, 0, 1) + 42,
  version: 3,
};

describe("JSON export items", () => {
  it("is the API's task shape, with the stored payload text spliced in", () => {
    expect(JSON.parse(taskJson(base, "run-1"))).toEqual({
      id: 'a"b',
      runId: "run-1",
      parentTaskId: "p",
      name: "fetch\u2028users",
      status: "failed",
      input: { file: "r.pdf", n: [1, 2.5, null] },
      output: null,
      errorMessage: "Connection refused",
      errorStack: "Error\n  at x",
      statusMessage: null,
      progress: 0.5,
      usage: { inputTokens: 10, outputTokens: 0, costUsd: 0.01 },
      seq: 7,
      startedAt: "2030-01-01T00:00:00.000Z",
      endedAt: "2030-01-01T00:00:00.042Z",
      durationMs: 42,
      version: 3,
    });
    expect(JSON.parse(taskJson({ ...base, inputTokens: null, costUsd: null, startMs: null }, "r"))).toMatchObject({ usage: null, startedAt: null, durationMs: null });
  });

  it("joins pages into one array", () => {
    const text = `[${jsonItems([base, base], "r", true)}${jsonItems([], "r", false)}${jsonItems([base], "r", false)}]`;
    expect(JSON.parse(text)).toHaveLength(3);
  });
});
