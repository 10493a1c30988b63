/**
 * What happens to queued events when a Node process ends. One listener per
 * process event, shared by every client of every copy of the SDK loaded in the
 * process (the registry lives on `globalThis[Symbol.for("runtrail.exit-hooks")]`),
 * installed when the first client records its first event and removed when the
 * last registered client shuts down:
 *
 * - `beforeExit` (the event loop emptied): each client flushes, without keeping
 *   the process alive on a dead server.
 * - `SIGTERM` / `SIGINT`: each client flushes for at most its
 *   `exitFlushTimeoutMs`; then, if the application did not handle the signal,
 *   our listener is removed and the signal raised again, so the process dies
 *   exactly as it would have without the SDK. If the application handles it,
 *   its handler decides and we never exit. A second signal while we flush,
 *   with the application not handling it, is raised at once.
 * - `exit`: one warning with the count of events still undelivered.
 *
 * "The application handles the signal" is decided when the signal arrives, not
 * after the flush: by then a `process.once` handler has removed itself (and may
 * be in the middle of its own graceful shutdown). Our listener is put first
 * (`prependListener`) so that it runs before any other and sees them all. It
 * counts every listener except:
 * - those of the SDK (any copy or version: they carry the registry's symbol);
 * - those of `signal-exit`, which only observe: each loaded copy adds one
 *   listener per signal, counted by its emitter (`count` on
 *   `globalThis[Symbol.for("signal-exit emitter")]` in v4, on
 *   `process.__signal_exit_emitter__` in v3), and each does nothing while other
 *   listeners remain, then runs its callbacks and raises the signal again once
 *   it is alone. So after our re-raise it ends the process the same way.
 */

/**
 * A client as the exit hooks see it. Shared between copies of the SDK: a
 * change here needs a new {@link REGISTRY_PROTOCOL}.
 */
export interface ExitParticipant {
  /** Events still queued. */
  pending(): number;
  /** The event loop emptied: start a flush that does not keep the process alive. */
  beforeExit(): void;
  /** A terminating signal arrived: flush within the client's limit. Never rejects. */
  flushBeforeSignal(): Promise<unknown>;
}

type Signal = "SIGTERM" | "SIGINT";
type Listener = () => void;

/** The part of Node's `process` the hooks use. */
export interface ProcessHost {
  readonly pid: number;
  on(event: string, listener: Listener): unknown;
  prependListener(event: string, listener: Listener): unknown;
  off(event: string, listener: Listener): unknown;
  listeners(event: string): readonly unknown[];
  kill(pid: number, signal: string): unknown;
}

export interface ExitHooks {
  register(participant: ExitParticipant): void;
  unregister(participant: ExitParticipant): void;
}

const SIGNALS: readonly Signal[] = ["SIGTERM", "SIGINT"];

/** Where the shared registry lives; also marks the SDK's own signal listeners. */
const REGISTRY_KEY = Symbol.for("runtrail.exit-hooks");
/** Copies of the SDK share the registry only when they speak the same protocol. */
const REGISTRY_PROTOCOL = 1;

function isSdkListener(listener: unknown): boolean {
  return typeof listener === "function" && (listener as unknown as Record<symbol, unknown>)[REGISTRY_KEY] === true;
}

function emitterCount(emitter: unknown): number {
  const count = (emitter as { count?: unknown } | null | undefined)?.count;
  return typeof count === "number" && count > 0 ? count : 0;
}

/** How many of a signal's listeners belong to `signal-exit` (v4 and v3), which only observe. */
export function signalExitListeners(host: ProcessHost | undefined): number {
  const v4 = (globalThis as Record<symbol, unknown>)[Symbol.for("signal-exit emitter")];
  const v3 = (host as { __signal_exit_emitter__?: unknown } | undefined)?.__signal_exit_emitter__;
  return emitterCount(v4) + emitterCount(v3);
}

/**
 * The hooks on a given host; the SDK uses one on Node's `process` shared by
 * every copy (`sharedExitHooks`), tests use fakes. `observers` counts the
 * listeners that only observe (see the module comment).
 */
export function createExitHooks(
  host: ProcessHost | undefined,
  warn: (message: string) => void,
  observers: () => number = () => signalExitListeners(host),
): ExitHooks {
  const participants = new Set<ExitParticipant>();
  let flushing = false;

  const onBeforeExit: Listener = () => {
    for (const participant of participants) participant.beforeExit();
  };

  const onExit: Listener = () => {
    let pending = 0;
    for (const participant of participants) pending += participant.pending();
    if (pending > 0) warn(`[runtrail] exiting with ${pending} undelivered events`);
  };

  const signalListeners: Record<Signal, Listener> = {
    SIGTERM: () => onSignal("SIGTERM"),
    SIGINT: () => onSignal("SIGINT"),
  };
  for (const listener of Object.values(signalListeners)) {
    Object.defineProperty(listener, REGISTRY_KEY, { value: true });
  }

  /**
   * Some listener other than the SDK's and signal-exit's is attached. Asked
   * synchronously in our listener, which runs first: the others are all there.
   */
  function handledElsewhere(signal: Signal): boolean {
    if (host === undefined) return false;
    let others = 0;
    for (const listener of host.listeners(signal)) if (!isSdkListener(listener)) others++;
    return others > observers();
  }

  function reraise(signal: Signal): void {
    if (host === undefined) return;
    host.off(signal, signalListeners[signal]);
    host.kill(host.pid, signal);
  }

  function onSignal(signal: Signal): void {
    const handled = handledElsewhere(signal);
    if (flushing) {
      if (!handled) reraise(signal);
      return;
    }
    flushing = true;
    const flushes = [...participants].map((participant) => participant.flushBeforeSignal().catch(() => undefined));
    void Promise.all(flushes).then(() => {
      flushing = false;
      if (!handled) reraise(signal);
    });
  }

  function install(): void {
    host?.on("beforeExit", onBeforeExit);
    host?.on("exit", onExit);
    for (const signal of SIGNALS) host?.prependListener(signal, signalListeners[signal]);
  }

  function uninstall(): void {
    host?.off("beforeExit", onBeforeExit);
    host?.off("exit", onExit);
    for (const signal of SIGNALS) host?.off(signal, signalListeners[signal]);
  }

  return {
    register(participant) {
      if (participants.has(participant)) return;
      if (participants.size === 0) install();
      participants.add(participant);
    },
    unregister(participant) {
      if (participants.delete(participant) && participants.size === 0) uninstall();
    },
  };
}

function nodeProcess(): ProcessHost | undefined {
  const proc = (globalThis as { process?: Partial<ProcessHost> }).process;
  const usable =
    typeof proc?.on === "function" &&
    typeof proc.prependListener === "function" &&
    typeof proc.off === "function" &&
    typeof proc.listeners === "function" &&
    typeof proc.kill === "function" &&
    typeof proc.pid === "number";
  return usable ? (proc as ProcessHost) : undefined;
}

interface Registry {
  readonly protocol: number;
  readonly hooks: ExitHooks;
}

let shared: ExitHooks | undefined;

/**
 * The process-wide registry every client joins: the one a copy of the SDK
 * loaded earlier put on `globalThis`, else a new one put there. (A copy
 * speaking another protocol keeps its own; the listeners still discount each
 * other, see `isSdkListener`.)
 */
export function sharedExitHooks(): ExitHooks {
  if (shared !== undefined) return shared;
  const global = globalThis as Record<symbol, unknown>;
  const found = global[REGISTRY_KEY] as Partial<Registry> | undefined;
  if (found?.protocol === REGISTRY_PROTOCOL && found.hooks !== undefined) {
    shared = found.hooks;
    return shared;
  }
  shared = createExitHooks(nodeProcess(), (message) => globalThis.console?.warn(message));
  if (found === undefined) {
    const registry: Registry = { protocol: REGISTRY_PROTOCOL, hooks: shared };
    try {
      Object.defineProperty(global, REGISTRY_KEY, { value: registry });
    } catch {
      // A frozen global (SES lockdown): this copy keeps its registry to itself.
    }
  }
  return shared;
}
