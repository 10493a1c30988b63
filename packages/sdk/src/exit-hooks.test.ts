import { EventEmitter } from "node:events";
import { describe, expect, it, vi } from "vitest";
import type { ExitParticipant, ProcessHost } from "./exit-hooks.js";
import { createExitHooks, sharedExitHooks } from "./exit-hooks.js";

function fakeHost() {
  const emitter = new EventEmitter();
  const kill = vi.fn();
  const host: ProcessHost = {
    pid: 4242,
    on: (event, listener) => emitter.on(event, listener),
    prependListener: (event, listener) => emitter.prependListener(event, listener),
    off: (event, listener) => emitter.off(event, listener),
    listeners: (event) => emitter.listeners(event),
    kill,
  };
  return { host, emitter, kill };
}

function participant(pending = 0) {
  let release: () => void = () => {};
  const flushed = new Promise<void>((resolve) => {
    release = resolve;
  });
  const p = {
    pending: vi.fn(() => pending),
    beforeExit: vi.fn(),
    flushBeforeSignal: vi.fn(() => flushed),
  } satisfies ExitParticipant;
  return { p, release };
}

const EVENTS = ["beforeExit", "exit", "SIGTERM", "SIGINT"];

describe("exit hooks", () => {
  it("install one listener per event for all clients, and remove them with the last one", () => {
    const { host, emitter } = fakeHost();
    const hooks = createExitHooks(host, () => {});
    const a = participant();
    const b = participant();
    hooks.register(a.p);
    hooks.register(b.p);
    hooks.register(b.p);
    expect(EVENTS.map((event) => emitter.listenerCount(event))).toEqual([1, 1, 1, 1]);
    emitter.emit("beforeExit");
    expect([a.p.beforeExit.mock.calls.length, b.p.beforeExit.mock.calls.length]).toEqual([1, 1]);
    hooks.unregister(a.p);
    expect(emitter.listenerCount("SIGTERM")).toBe(1);
    hooks.unregister(b.p);
    expect(EVENTS.map((event) => emitter.listenerCount(event))).toEqual([0, 0, 0, 0]);
  });

  it("on a signal nobody else handles: flush every client, then remove ours and raise it again", async () => {
    const { host, emitter, kill } = fakeHost();
    const hooks = createExitHooks(host, () => {});
    const a = participant();
    const b = participant();
    hooks.register(a.p);
    hooks.register(b.p);
    emitter.emit("SIGTERM");
    expect(a.p.flushBeforeSignal).toHaveBeenCalledTimes(1);
    expect(b.p.flushBeforeSignal).toHaveBeenCalledTimes(1);
    a.release();
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(kill).not.toHaveBeenCalled(); // b still flushing
    b.release();
    await vi.waitFor(() => expect(kill).toHaveBeenCalledWith(4242, "SIGTERM"));
    expect(emitter.listenerCount("SIGTERM")).toBe(0);
    expect(emitter.listenerCount("SIGINT")).toBe(1);
  });

  it("a second signal during the flush is raised at once", () => {
    const { host, emitter, kill } = fakeHost();
    const hooks = createExitHooks(host, () => {});
    hooks.register(participant().p);
    emitter.emit("SIGINT");
    expect(kill).not.toHaveBeenCalled();
    emitter.emit("SIGINT");
    expect(kill).toHaveBeenCalledWith(4242, "SIGINT");
  });

  it("leaves the decision to the application when it listens to the signal too", async () => {
    const { host, emitter, kill } = fakeHost();
    const hooks = createExitHooks(host, () => {});
    const a = participant();
    hooks.register(a.p);
    const own = vi.fn();
    emitter.on("SIGTERM", own);
    emitter.emit("SIGTERM");
    emitter.emit("SIGTERM");
    a.release();
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(own).toHaveBeenCalledTimes(2);
    expect(a.p.flushBeforeSignal).toHaveBeenCalledTimes(1);
    expect(kill).not.toHaveBeenCalled();
    expect(emitter.listenerCount("SIGTERM")).toBe(2);
  });

  it("decides when the signal arrives: a `once` handler gone by the end of the flush still leaves the exit to it", async () => {
    const { host, emitter, kill } = fakeHost();
    const hooks = createExitHooks(host, () => {});
    const a = participant();
    hooks.register(a.p);
    const graceful = vi.fn(async () => {});
    emitter.once("SIGTERM", graceful); // after ours was installed: ours still runs first
    expect(emitter.listeners("SIGTERM")[1]).toBe(graceful);
    emitter.emit("SIGTERM");
    expect(graceful).toHaveBeenCalledTimes(1);
    expect(emitter.listenerCount("SIGTERM")).toBe(1); // only ours is left
    a.release();
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(kill).not.toHaveBeenCalled();
  });

  it("does not count listeners that only observe (signal-exit's), but counts the application's beside them", async () => {
    const { host, emitter, kill } = fakeHost();
    const hooks = createExitHooks(host, () => {}, () => 1);
    const a = participant();
    hooks.register(a.p);
    const observer = vi.fn();
    emitter.on("SIGTERM", observer);
    emitter.emit("SIGTERM");
    a.release();
    await vi.waitFor(() => expect(kill).toHaveBeenCalledWith(4242, "SIGTERM"));
    expect(emitter.listeners("SIGTERM")).toEqual([observer]); // ours removed, so the observer is alone for the re-raise

    const other = fakeHost();
    const withApp = createExitHooks(other.host, () => {}, () => 1);
    const b = participant();
    withApp.register(b.p);
    other.emitter.on("SIGTERM", vi.fn());
    other.emitter.on("SIGTERM", vi.fn()); // the observer and the application
    other.emitter.emit("SIGTERM");
    b.release();
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(other.kill).not.toHaveBeenCalled();
  });

  it("is one registry per process, kept on globalThis, that every copy of the module finds", async () => {
    const hooks = sharedExitHooks();
    expect((globalThis as Record<symbol, unknown>)[Symbol.for("runtrail.exit-hooks")]).toMatchObject({ protocol: 1, hooks });
    vi.resetModules();
    const copy = await import("./exit-hooks.js?copy" as string) as typeof import("./exit-hooks.js");
    expect(copy.sharedExitHooks).not.toBe(sharedExitHooks);
    expect(copy.sharedExitHooks()).toBe(hooks);
  });

  it("warns once at exit with the number of undelivered events, only when there are some", () => {
    const { host, emitter } = fakeHost();
    const warn = vi.fn();
    const hooks = createExitHooks(host, warn);
    const idle = participant(0);
    hooks.register(idle.p);
    emitter.emit("exit");
    expect(warn).not.toHaveBeenCalled();
    hooks.register(participant(3).p);
    hooks.register(participant(4).p);
    emitter.emit("exit");
    expect(warn.mock.calls).toEqual([["[runtrail] exiting with 7 undelivered events"]]);
  });

  it("does nothing where there is no process", () => {
    const hooks = createExitHooks(undefined, () => {});
    const a = participant();
    expect(() => {
      hooks.register(a.p);
      hooks.unregister(a.p);
    }).not.toThrow();
  });
});
