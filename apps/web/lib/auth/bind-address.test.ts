import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { bindAddress, hostFromArgv, isLoopbackHost } from "./bind-address";

describe("bind address", () => {
  it("knows loopback addresses from the rest", () => {
    for (const h of ["127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost", "::ffff:127.0.0.1"]) expect(isLoopbackHost(h), h).toBe(true);
    for (const h of ["0.0.0.0", "::", "192.168.1.4", "10.0.0.1", "example.com", "127.0.0.1.example.com", ""]) expect(isLoopbackHost(h), h).toBe(false);
  });

  it("reads next start's -H in every form commander accepts; absent means every interface", () => {
    const bin = "/app/node_modules/next/dist/bin/next";
    expect(hostFromArgv(["node", bin, "start", "-H", "127.0.0.1", "-p", "3000"])).toBe("127.0.0.1");
    expect(hostFromArgv(["node", bin, "start", "--hostname", "0.0.0.0"])).toBe("0.0.0.0");
    expect(hostFromArgv(["node", bin, "start", "--hostname=::1"])).toBe("::1");
    expect(hostFromArgv(["node", bin, "start", "-Hlocalhost"])).toBe("localhost");
    expect(hostFromArgv(["node", "/x/node_modules/.bin/next", "start", "-p", "3000"])).toBeNull();
    expect(hostFromArgv(["node", "server.js"])).toBeUndefined();
  });

  it("prefers the sockets this process listens on", async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      expect(bindAddress(["node", "next", "start"])).toEqual({ hosts: ["127.0.0.1"], loopback: true, source: "socket" });
      const wide = createServer();
      await new Promise<void>((resolve) => wide.listen(0, "0.0.0.0", resolve));
      try {
        expect(bindAddress([])).toMatchObject({ loopback: false, source: "socket" });
      } finally {
        await new Promise((resolve) => wide.close(resolve));
      }
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(bindAddress(["node", "/x/next", "start", "-H", "127.0.0.1"])).toEqual({ hosts: ["127.0.0.1"], loopback: true, source: "argv" });
    expect(bindAddress(["node", "x.js"])).toMatchObject({ loopback: false, source: "unknown" });
  });
});
