import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

describe("the OTLP descriptor", () => {
  it("is what proto/generate.mjs makes of the vendored .proto files", () => {
    const script = fileURLToPath(new URL("./proto/generate.mjs", import.meta.url));
    const fresh = execFileSync(process.execPath, [script, "--stdout"], { encoding: "utf8" });
    expect(readFileSync(new URL("./otlp-descriptor.generated.ts", import.meta.url), "utf8")).toBe(fresh);
  });
});
