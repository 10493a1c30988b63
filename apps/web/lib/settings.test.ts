import { describe, expect, it } from "vitest";
import { settingsFrom } from "./settings";

describe("settingsFrom", () => {
  const vars = {
    EMPTY: "",
    BLANK: "  ",
    PORTS: "8080",
    HALF: "0.5",
    WORD: "many",
    DEC: "1.5",
    ZERO: "0",
    NEG: "-2",
    BIG: "5000",
    SCI: "1e3",
    INF: "Infinity",
    LIST: " a, b ,,c ",
    SITE: "https://runtrail.example.com/some/path?q=1",
    FTP: "ftp://files.example.com",
    NOURL: "runtrail.example.com",
    MODE: "always",
    ON: "1",
    YES: "yes",
  };
  const s = settingsFrom(vars);

  it("uses the default when a setting is unset or empty", () => {
    expect(s.int("NOPE", 7)).toBe(7);
    expect(s.int("EMPTY", 7)).toBe(7);
    expect(s.rateOrOff("EMPTY", 30)).toBe(30);
    expect(s.text("EMPTY")).toBeUndefined();
    expect(s.textOr("EMPTY", ".runtrail")).toBe(".runtrail");
    expect(s.list("BLANK", ["loopback"])).toEqual(["loopback"]);
    expect(s.list("NOPE", ["loopback"])).toEqual(["loopback"]);
    expect(s.origin("EMPTY")).toBeUndefined();
    expect(s.choice("EMPTY", ["auto", "always", "never"], "auto")).toBe("auto");
    expect(s.flag("NOPE")).toBe(false);
  });

  it("parses good values", () => {
    expect(s.int("PORTS", 1)).toBe(8080);
    expect(s.int("SCI", 1)).toBe(1000);
    expect(s.rateOrOff("HALF", 1)).toBe(0.5);
    expect(s.rateOrOff("ZERO", 1)).toBe(0);
    expect(s.list("LIST", [])).toEqual(["a", "b", "c"]);
    expect(s.origin("SITE")).toBe("https://runtrail.example.com");
    expect(s.choice("MODE", ["auto", "always", "never"], "auto")).toBe("always");
    expect(s.flag("ON")).toBe(true);
    expect(s.flag("YES")).toBe(false);
  });

  it("refuses a bad value, naming the variable, why, and what it got", () => {
    expect(() => s.int("WORD", 1)).toThrow('WORD must be a positive integer, got "many"');
    expect(() => s.int("DEC", 1)).toThrow('DEC must be a positive integer, got "1.5"');
    expect(() => s.int("ZERO", 1)).toThrow('ZERO must be a positive integer, got "0"');
    expect(() => s.int("NEG", 1)).toThrow('NEG must be a positive integer, got "-2"');
    expect(() => s.int("BIG", 1, 1000)).toThrow('BIG must be at most 1000, got "5000"');
    expect(() => s.rateOrOff("NEG", 1)).toThrow('NEG must be a number of at least 0 (0 = off), got "-2"');
    expect(() => s.rateOrOff("INF", 1)).toThrow('INF must be a number of at least 0 (0 = off), got "Infinity"');
    expect(() => s.rateOrOff("WORD", 1)).toThrow('WORD must be a number of at least 0 (0 = off), got "many"');
    expect(() => s.origin("NOURL")).toThrow('NOURL must be a URL such as https://runtrail.example.com, got "runtrail.example.com"');
    expect(() => s.origin("FTP")).toThrow('FTP must be an http or https URL, got "ftp://files.example.com"');
    expect(() => s.choice("WORD", ["auto", "always", "never"], "auto")).toThrow('WORD must be one of auto, always, never, got "many"');
  });
});
