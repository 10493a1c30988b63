import { closeSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";

/**
 * PGlite is one process's database: two processes opening the same directory would
 * corrupt it. Whoever opens it (the server, the command line) holds `pglite.lock`
 * beside it with its pid; a lock whose process is gone is taken over.
 */

export class StoreLockedError extends Error {
  readonly code = "store_locked";
  constructor(
    readonly dataDir: string,
    readonly pid: number,
    readonly holder: string,
  ) {
    super(
      `the PGlite database in ${dataDir} is open in another process (pid ${pid}, ${holder}). ` +
        "PGlite allows one process at a time: stop that process first (or point DATABASE_URL at Postgres, which has no such limit).",
    );
  }
}

interface LockBody {
  pid: number;
  host: string;
  holder: string;
  since: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readLock(path: string): LockBody | null {
  try {
    const body = JSON.parse(readFileSync(path, "utf8")) as Partial<LockBody>;
    return typeof body.pid === "number" ? { pid: body.pid, host: String(body.host), holder: String(body.holder ?? "unknown"), since: String(body.since) } : null;
  } catch {
    return null;
  }
}

/** Takes the lock of `dataDir` for this process; returns the release function. */
export function lockDataDir(dataDir: string, holder: string): () => void {
  const path = join(dataDir, "pglite.lock");
  const body: LockBody = { pid: process.pid, host: hostname(), holder, since: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, "wx", 0o600);
      writeSync(fd, JSON.stringify(body));
      closeSync(fd);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        if (readLock(path)?.pid === process.pid) rmSync(path, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    const current = readLock(path);
    if (current && current.pid !== process.pid && current.host === body.host && alive(current.pid)) {
      throw new StoreLockedError(dataDir, current.pid, current.holder);
    }
    // Stale (its process is gone), unreadable (a crash mid-write), or ours from an earlier open.
    rmSync(path, { force: true });
  }
  throw new Error(`could not take ${path}`);
}
