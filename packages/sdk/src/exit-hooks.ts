/**
 * What happens to queued events when a Node process ends. One module-level
 * listener per process event, shared by every client (a registry), installed
 * when the first client records its first event and removed when the last
 * registered client shuts down:
 *
 * - `beforeExit` (the event loop emptied): each client flushes, without keeping
 *   the process alive on a dead server.
 * - `SIGTERM` / `SIGINT`: each client flushes for at most its
 *   `exitFlushTimeoutMs`; then, if nobody else listens to that signal, our
 *   listener is removed and the signal raised again, so the process dies exactly
 *   as it would have without the SDK. If the application listens too, its
 *   handler decides and we do not exit. A second signal while we flush, with
 *   nobody else listening, is raised at once.
 * - `exit`: one warning with the count of events still undelivered.
 */

/** A client as the exit hooks see it. */
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
  off(event: string, listener: Listener): unknown;
  listenerCount(event: string): number;
  kill(pid: number, signal: string): unknown;
}

export interface ExitHooks {
  register(participant: ExitParticipant): void;
  unregister(participant: ExitParticipant): void;
}

const SIGNALS: readonly Signal[] = ["SIGTERM", "SIGINT"];

/** The hooks on a given host; the SDK uses the one on Node's `process`, tests use fakes. */
export function createExitHooks(host: ProcessHost | undefined, warn: (message: string) => void): ExitHooks {
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

  /** Nobody but us listens: the signal's default action (death) is the process's own behaviour. */
  function aloneOn(signal: Signal): boolean {
    return (host?.listenerCount(signal) ?? 0) <= 1;
  }

  function reraise(signal: Signal): void {
    if (host === undefined) return;
    host.off(signal, signalListeners[signal]);
    host.kill(host.pid, signal);
  }

  function onSignal(signal: Signal): void {
    if (flushing) {
      if (aloneOn(signal)) reraise(signal);
      return;
    }
    flushing = true;
    const flushes = [...participants].map((participant) => participant.flushBeforeSignal().catch(() => undefined));
    void Promise.all(flushes).then(() => {
      flushing = false;
      if (aloneOn(signal)) reraise(signal);
    });
  }

  function install(): void {
    host?.on("beforeExit", onBeforeExit);
    host?.on("exit", onExit);
    for (const signal of SIGNALS) host?.on(signal, signalListeners[signal]);
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
    typeof proc.off === "function" &&
    typeof proc.listenerCount === "function" &&
    typeof proc.kill === "function" &&
    typeof proc.pid === "number";
  return usable ? (proc as ProcessHost) : undefined;
}

/** The process-wide registry every client joins. */
export const exitHooks: ExitHooks = createExitHooks(nodeProcess(), (message) => globalThis.console?.warn(message));
