import { describe, expect, it } from "vitest";
import { parseServeArgs, splitStoreArgs, UsageError } from "./options.js";
import { displayUrl } from "./serve.js";

const serve = (args: string[], env: Record<string, string | undefined> = {}) => parseServeArgs(args, env, "/work/here");

describe("runtrail serve options", () => {
  it("defaults to 127.0.0.1:3000 and ./.runtrail, from the variables when set, options over both", () => {
    expect(serve([])).toEqual({ serve: { host: "127.0.0.1", port: 3000, dataDir: "/work/here/.runtrail", databaseUrl: undefined } });
    // HOSTNAME is the machine's name in shells and containers: never the bind address.
    expect(serve([], { HOST: "::1", PORT: "4000", RUNTRAIL_DATA_DIR: "data", DATABASE_URL: "postgres://x", HOSTNAME: "box" })).toEqual({
      serve: { host: "::1", port: 4000, dataDir: "/work/here/data", databaseUrl: "postgres://x" },
    });
    expect(serve(["-p", "5000", "--host=0.0.0.0", "-d", "/abs", "--database-url", "postgres://y"], { PORT: "4000", HOST: "::1" })).toEqual({
      serve: { host: "0.0.0.0", port: 5000, dataDir: "/abs", databaseUrl: "postgres://y" },
    });
    expect(serve(["--help"])).toEqual({ help: true });
    expect(serve(["-v"])).toEqual({ version: true });
  });

  it("names the option or variable that is wrong", () => {
    const fails = (args: string[], env: Record<string, string> = {}) => {
      try {
        serve(args, env);
      } catch (err) {
        expect(err).toBeInstanceOf(UsageError);
        return (err as Error).message;
      }
      throw new Error("no error");
    };
    expect(fails(["--port", "0"])).toBe('--port: must be a port number from 1 to 65535, got "0"');
    expect(fails(["--port", "3e3"])).toBe('--port: must be a port number from 1 to 65535, got "3e3"');
    expect(fails([], { PORT: "http" })).toBe('PORT: must be a port number from 1 to 65535, got "http"');
    expect(fails(["--host", " "])).toBe("--host: must not be empty");
    expect(fails(["--prot", "1"])).toContain("'--prot'");
    expect(fails(["keys"])).toContain("keys");
    expect(fails(["--port"])).toContain("--port");
  });
});

describe("store command arguments", () => {
  it("takes --data-dir and --database-url out wherever they are, leaving the command's own", () => {
    expect(splitStoreArgs(["keys", "create", "--project", "p", "-d", "x", "--name=ci"], "/w")).toEqual({
      rest: ["keys", "create", "--project", "p", "--name=ci"],
      env: { RUNTRAIL_DATA_DIR: "/w/x" },
    });
    expect(splitStoreArgs(["--database-url=postgres://z", "users", "list", "--json"], "/w")).toEqual({ rest: ["users", "list", "--json"], env: { DATABASE_URL: "postgres://z" } });
    expect(() => splitStoreArgs(["users", "list", "--data-dir"], "/w")).toThrow("--data-dir: needs a value");
  });
});

describe("the address printed", () => {
  it("is one a browser on this machine can open", () => {
    expect(displayUrl("127.0.0.1", 3000)).toBe("http://127.0.0.1:3000");
    expect(displayUrl("0.0.0.0", 80)).toBe("http://localhost:80");
    expect(displayUrl("::", 3000)).toBe("http://localhost:3000");
    expect(displayUrl("::1", 3000)).toBe("http://[::1]:3000");
  });
});
