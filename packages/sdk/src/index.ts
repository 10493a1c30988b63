/**
 * @runtrail/sdk — record runs and tasks of agent and pipeline code, and read
 * or control them over the HTTP API.
 *
 * @example
 * import { Runtrail } from "@runtrail/sdk";
 * const client = new Runtrail(); // RUNTRAIL_URL, RUNTRAIL_API_KEY
 * const run = await client.startRun({ name: "report" });
 * const task = await run.startTask("parse-pdf", { file: "report.pdf" });
 * task.update({ statusMessage: "page 1 of 3", progress: 0.33 });
 * await task.complete({ output: { pages: 3 }, usage: { inputTokens: 1200, costUsd: 0.002 } });
 * await run.complete();
 * await client.shutdown();
 */
export { Runtrail } from "./client.js";
export type { FetchLike, RequestInitLike, ResponseLike, RuntrailOptions } from "./config.js";
export {
  ApiError,
  ClientClosedError,
  DeliveryError,
  InvalidArgumentError,
  RunAlreadyFinishedError,
  RunCancelledError,
  RunNotFoundError,
  RuntrailError,
  TaskAlreadyFinishedError,
  WaitTimeoutError,
} from "./errors.js";
export type { ApiErrorCode, DeliveryErrorCode, MisuseErrorCode, RuntrailErrorCode } from "./errors.js";

// Recording
export type { CompleteOptions, FailOptions, LogOptions, TaskUpdate } from "./arguments.js";
export type { DeliveryReport, DropReason } from "./queue.js";
export type { Run, StartRunOptions, StartTaskOptions } from "./run.js";
export type { SkipOptions, Task } from "./task.js";

// Reading and control (`client.runs`)
export type { RunStreamEvent, StreamOptions } from "./run-stream.js";
export type { RunList, RunListFilter } from "./run-list.js";
export type { CancelOptions, PollOptions, RunsApi, WaitOptions } from "./runs-api.js";

// Wire protocol and API JSON
/** What the server accepts per event; the SDK cuts or refuses anything past it. */
export { LIMITS } from "./protocol.js";
export type {
  CancelledRun,
  EventResult,
  EventType,
  IngestRequest,
  IngestResponse,
  JsonValue,
  LogInfo,
  LogLevel,
  RunDetail,
  RunInfo,
  RunPage,
  RunStatus,
  RunSummaryInfo,
  RuntrailEvent,
  TaskCounts,
  TaskInfo,
  TaskStatus,
  Usage,
  UsageTotals,
} from "./protocol.js";
