import type { Encoding } from "./any-value";
import { decodeTraceRequest } from "./protobuf";
import { RequestShapeError } from "./read-spans";

/** The request as a protobufjs message or parsed JSON; throws ProtobufDecodeError or RequestShapeError (both 400). */
export function decodeRequest(bytes: Buffer, encoding: Encoding): unknown {
  if (encoding === "protobuf") return decodeTraceRequest(bytes);
  try {
    // V8's JSON.parse is iterative: any nesting parses; read-spans bounds what it walks.
    return JSON.parse(bytes.toString("utf8"));
  } catch (err) {
    throw new RequestShapeError("body", `not valid JSON (${(err as Error).message})`);
  }
}
