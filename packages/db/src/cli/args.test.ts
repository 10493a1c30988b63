import { describe, expect, it } from "vitest";
import { parseArgs, stringOption, UsageError } from "./args.js";

describe("parseArgs", () => {
  it("splits words from options, in any order, in both option forms", () => {
    const args = parseArgs(["keys", "--project", "payments", "create", "--name=ci key", "--json"]);
    expect(args.words).toEqual(["keys", "create"]);
    expect(Object.fromEntries(args.options)).toEqual({ project: "payments", name: "ci key", json: true });
    expect(stringOption(args, "project")).toBe("payments");
    expect(stringOption(args, "email")).toBeUndefined();
  });

  it("takes everything after -- as words", () => {
    expect(parseArgs(["projects", "create", "--", "--json", "x"]).words).toEqual(["projects", "create", "--json", "x"]);
  });

  it("refuses unknown options, missing values and values on flags, naming the option", () => {
    const usage = (argv: string[]) => {
      try {
        parseArgs(argv);
      } catch (err) {
        expect(err).toBeInstanceOf(UsageError);
        return (err as Error).message;
      }
      throw new Error("parsed");
    };
    expect(usage(["users", "list", "--jsn"])).toBe("unknown option --jsn");
    expect(usage(["keys", "create", "--project"])).toBe("--project needs a value");
    expect(usage(["keys", "create", "--name", "--json"])).toBe("--name needs a value");
    expect(usage(["users", "list", "--json=yes"])).toBe("--json takes no value");
    expect(usage(["-x"])).toBe("unknown option -x");
  });
});
