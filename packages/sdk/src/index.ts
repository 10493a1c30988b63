/**
 * @runtrail/sdk — record runs and tasks of agent and pipeline code.
 *
 * @example
 * import { Runtrail } from "@runtrail/sdk";
 * const client = new Runtrail(); // RUNTRAIL_URL, RUNTRAIL_API_KEY
 * const run = await client.startRun({ name: "report" });
 * const task = await run.startTask("parse-pdf", { file: "report.pdf" });
 * await task.complete({ output: { pages: 3 } });
 * await run.complete();
 * await client.shutdown();
 */
export { Runtrail } from "./client.js";
export type { FetchLike, ResponseLike, RuntrailOptions } from "./config.js";
export {
  ClientClosedError,
  DeliveryError,
  InvalidArgumentError,
  RunAlreadyFinishedError,
  RuntrailError,
  TaskAlreadyFinishedError,
} from "./errors.js";
export type { DeliveryErrorCode, RuntrailErrorCode } from "./errors.js";
export type { CompleteOptions, FailOptions, RunStatus, TaskStatus } from "./events.js";
export type {
  EventResult,
  EventType,
  IngestRequest,
  IngestResponse,
  JsonValue,
  RuntrailEvent,
} from "./protocol.js";
export type { DeliveryReport, DropReason } from "./queue.js";
export type { Run, StartRunOptions, StartTaskOptions } from "./run.js";
export type { SkipOptions, Task } from "./task.js";
