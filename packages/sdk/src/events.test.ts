import { describe, expect, it } from "vitest";
import { failFields, isoNow, serializeValue, utf8Length } from "./events.js";
import { createEventIdGenerator, uuidv7 } from "./ids.js";

describe("serializeValue", () => {
  it("returns JSON for normal values and undefined for values without JSON", () => {
    expect(serializeValue({ a: [1, "x", null] }, 1000)).toBe('{"a":[1,"x",null]}');
    expect(serializeValue(undefined, 1000)).toBeUndefined();
    expect(serializeValue(() => 1, 1000)).toBeUndefined();
  });

  it("replaces values over the limit by a visible $truncated marker", () => {
    const value = { text: "é".repeat(5000) };
    const json = JSON.stringify(value);
    const marker = JSON.parse(serializeValue(value, 4096) ?? "");
    expect(marker).toEqual({ $truncated: true, originalBytes: utf8Length(json), preview: json.slice(0, 2000) });
    expect(marker.originalBytes).toBe(json.length + 5000); // each é is 2 bytes
  });

  it("keeps values exactly at the limit", () => {
    const value = "x".repeat(98); // JSON adds two quotes
    expect(serializeValue(value, 100)).toBe(JSON.stringify(value));
    expect(JSON.parse(serializeValue(`${value}y`, 100) ?? "")).toMatchObject({ $truncated: true, originalBytes: 101 });
  });

  it("never throws on unserializable values", () => {
    const circular: Record<string, unknown> = { a: 1 };
    circular.self = circular;
    expect(JSON.parse(serializeValue(circular, 1000) ?? "").$unserializable).toMatch(/circular/i);
    expect(JSON.parse(serializeValue({ n: 10n }, 1000) ?? "").$unserializable).toMatch(/BigInt/i);
    const hostile = {
      toJSON() {
        throw new Error("nope");
      },
    };
    expect(JSON.parse(serializeValue(hostile, 1000) ?? "")).toEqual({ $unserializable: "nope" });
  });
});

describe("failFields", () => {
  it("takes message and stack from an Error, or from options", () => {
    const err = new Error("Connection refused");
    expect(JSON.parse(`{"x":0${failFields(err, 10_000)}}`)).toMatchObject({
      errorMessage: "Connection refused",
      errorStack: err.stack,
    });
    expect(JSON.parse(`{"x":0${failFields({ errorMessage: "boom", output: { partial: 1 } }, 10_000)}}`)).toEqual({
      x: 0,
      errorMessage: "boom",
      output: { partial: 1 },
    });
    expect(JSON.parse(`{"x":0${failFields({ error: "plain string" }, 10_000)}}`).errorMessage).toBe("plain string");
  });

  it("cuts very long messages so one event cannot outgrow a batch", () => {
    const fields = JSON.parse(`{"x":0${failFields({ errorMessage: "m".repeat(500) }, 100)}}`);
    expect(fields.errorMessage).toBe(`${"m".repeat(100)}… [truncated]`);
  });
});

describe("ids", () => {
  it("makes RFC 9562 UUIDv7s that sort by time", () => {
    const re = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    const ids = Array.from({ length: 2000 }, (_, i) => uuidv7(1_700_000_000_000 + i));
    for (const id of ids) expect(id).toMatch(re);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    expect(uuidv7(0x0123456789ab).slice(0, 13)).toBe("01234567-89ab");
  });

  it("makes unique event ids per generator and across generators", () => {
    const a = createEventIdGenerator();
    const b = createEventIdGenerator();
    const ids = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      ids.add(a());
      ids.add(b());
    }
    expect(ids.size).toBe(10_000);
  });
});

describe("isoNow", () => {
  it("formats ISO-8601 with milliseconds", () => {
    expect(isoNow()).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });
});
