import { describe, expect, it } from "vitest";
import { SseParser } from "./sse.js";

const STREAM =
  ": ping\n" +
  "id: 7\nevent: run\ndata: {\"a\":1}\n\n" +
  "event: tasks\r\ndata: [1,\r\ndata: 2]\r\nid: 8\r\n\r\n" +
  "retry: 1500\rdata: plain\r\r" +
  "event: ignored-without-data\n\n" +
  "data\n\n" +
  "unknown: x\nevent: end\ndata:{\"b\":2}\n\n";

const EXPECTED = [
  { event: "run", data: '{"a":1}', id: "7" },
  { event: "tasks", data: "[1,\n2]", id: "8" },
  { event: "message", data: "plain", id: "8" },
  { event: "message", data: "", id: "8" },
  { event: "end", data: '{"b":2}', id: "8" },
];

describe("SseParser", () => {
  it("parses events, multi-line data, ids, retry, comments and LF / CRLF / CR line ends", () => {
    const parser = new SseParser();
    expect(parser.push(STREAM)).toEqual(EXPECTED);
    expect(parser.lastEventId).toBe("8");
    expect(parser.retryMs).toBe(1500);
  });

  it("gives the same messages however the text is split, even between CR and LF", () => {
    for (let size = 1; size <= 7; size++) {
      const parser = new SseParser();
      const messages = [];
      for (let i = 0; i < STREAM.length; i += size) messages.push(...parser.push(STREAM.slice(i, i + size)));
      expect(messages).toEqual(EXPECTED);
    }
    const parser = new SseParser();
    const messages = [...parser.push("data: a\r"), ...parser.push(""), ...parser.push("\ndata: b\r"), ...parser.push("\n\r\n")];
    expect(messages).toEqual([{ event: "message", data: "a\nb", id: undefined }]);
  });

  it("skips a leading BOM, waits for the blank line, and drops a half message on reset", () => {
    const parser = new SseParser();
    expect(parser.push("\uFEFFid: 1\nevent: run\ndata: x\n")).toEqual([]);
    expect(parser.push("\n")).toEqual([{ event: "run", data: "x", id: "1" }]);
    expect(parser.push("event: tasks\ndata: half")).toEqual([]);
    parser.reset();
    expect(parser.lastEventId).toBe("1");
    expect(parser.push("data: whole\n\n")).toEqual([{ event: "message", data: "whole", id: "1" }]);
  });
});
