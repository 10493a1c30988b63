import { describe, expect, it } from "vitest";
import { MAX_CANCEL_REASON, parseCancelReason } from "./cancel-reason";

describe("parseCancelReason", () => {
  it("takes no body, an empty reason or null as no reason", () => {
    for (const text of ["", "  ", "{}", '{"reason":null}', '{"reason":"  "}', '{"other":1}']) expect(parseCancelReason(text)).toEqual({ ok: true, reason: undefined });
  });

  it("keeps a reason, with NULs and lone surrogates made storable", () => {
    expect(parseCancelReason('{"reason":"user pressed stop"}')).toEqual({ ok: true, reason: "user pressed stop" });
    expect(parseCancelReason('{"reason":"a\\u0000b\\ud800"}')).toEqual({ ok: true, reason: "a\uFFFDb\uFFFD" });
  });

  it("names the field and why", () => {
    expect(parseCancelReason("{nope")).toMatchObject({ ok: false, field: "body", message: expect.stringMatching(/^not valid JSON \(/) });
    expect(parseCancelReason("[1]")).toEqual({ ok: false, field: "body", message: "must be a JSON object" });
    expect(parseCancelReason("null")).toEqual({ ok: false, field: "body", message: "must be a JSON object" });
    expect(parseCancelReason('{"reason":42}')).toEqual({ ok: false, field: "reason", message: "must be a string" });
    expect(parseCancelReason(JSON.stringify({ reason: "x".repeat(MAX_CANCEL_REASON + 1) }))).toEqual({
      ok: false,
      field: "reason",
      message: `longer than ${MAX_CANCEL_REASON} characters`,
    });
  });
});
