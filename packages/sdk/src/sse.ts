/**
 * A parser for `text/event-stream` (the WHATWG server-sent events format):
 * `event:`, multi-line `data:`, `id:`, `retry:` and comment lines, with LF, CR
 * or CRLF line ends, fed text chunks split anywhere (even between CR and LF).
 */

/** One dispatched message. `id` is the last event id seen so far on the stream. */
export interface SseMessage {
  event: string;
  data: string;
  id: string | undefined;
}

export class SseParser {
  /** Last `id:` seen (it persists across messages, as in the spec). */
  lastEventId: string | undefined;
  /** Last valid `retry:` in milliseconds. */
  retryMs: number | undefined;
  private buffer = "";
  private event = "";
  private data: string[] = [];
  private sawCr = false;
  private started = false;

  /** A new connection: drops a half-received message, keeps the last event id. */
  reset(): void {
    this.buffer = "";
    this.event = "";
    this.data = [];
    this.sawCr = false;
    this.started = false;
  }

  /** Feeds a chunk of decoded text; returns the messages completed by it. */
  push(chunk: string): SseMessage[] {
    if (chunk === "") return [];
    let text = chunk;
    if (!this.started) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    // A CR ended the previous chunk: an LF starting this one belongs to it.
    if (this.sawCr && text.startsWith("\n")) text = text.slice(1);
    this.sawCr = false;
    const messages: SseMessage[] = [];
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      this.line(this.buffer + text.slice(start, i), messages);
      this.buffer = "";
      if (c === 13) {
        if (i + 1 === text.length) this.sawCr = true;
        else if (text.charCodeAt(i + 1) === 10) i++;
      }
      start = i + 1;
    }
    this.buffer += text.slice(start);
    return messages;
  }

  private line(line: string, messages: SseMessage[]): void {
    if (line === "") {
      this.dispatch(messages);
      return;
    }
    if (line.startsWith(":")) return; // a comment, e.g. ": ping"
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    switch (field) {
      case "event":
        this.event = value;
        break;
      case "data":
        this.data.push(value);
        break;
      case "id":
        if (!value.includes("\0")) this.lastEventId = value;
        break;
      case "retry":
        if (/^\d+$/.test(value)) this.retryMs = Number(value);
        break;
      default:
      // Unknown fields are ignored, as the spec says.
    }
  }

  private dispatch(messages: SseMessage[]): void {
    if (this.data.length > 0) {
      messages.push({ event: this.event === "" ? "message" : this.event, data: this.data.join("\n"), id: this.lastEventId });
    }
    this.event = "";
    this.data = [];
  }
}
