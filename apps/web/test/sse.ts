/** A minimal server-sent-events reader for the tests: `next()` gives the next message. */
export interface SseMessage {
  event: string;
  id: string | undefined;
  // biome-ignore lint/suspicious/noExplicitAny: test JSON
  data: any;
}

export interface SseReader {
  status: number;
  /** The next message, or null when the stream ended; rejects after `timeoutMs`. */
  next(timeoutMs?: number): Promise<SseMessage | null>;
  close(): void;
}

export async function openSse(url: string, headers: Record<string, string>): Promise<SseReader> {
  const controller = new AbortController();
  const res = await fetch(url, { headers: { accept: "text/event-stream", ...headers }, signal: controller.signal });
  const reader = res.body?.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  let ended = false;
  const queue: SseMessage[] = [];

  const parse = () => {
    for (let cut = buffer.indexOf("\n\n"); cut >= 0; cut = buffer.indexOf("\n\n")) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      let event = "message";
      let id: string | undefined;
      const data: string[] = [];
      for (const line of block.split("\n")) {
        if (line.startsWith(":")) continue;
        const [field, ...rest] = line.split(":");
        const value = rest.join(":").replace(/^ /, "");
        if (field === "event") event = value;
        else if (field === "id") id = value;
        else if (field === "data") data.push(value);
      }
      if (data.length > 0) queue.push({ event, id, data: JSON.parse(data.join("\n")) });
    }
  };

  return {
    status: res.status,
    async next(timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (queue.length === 0 && !ended) {
        if (!reader) return null;
        const left = deadline - Date.now();
        if (left <= 0) throw new Error("no SSE message in time");
        let timer: ReturnType<typeof setTimeout> | undefined;
        const chunk = await Promise.race([
          reader.read(),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no SSE message within ${timeoutMs} ms`)), left);
          }),
        ]).finally(() => clearTimeout(timer));
        if (chunk.done) ended = true;
        else buffer += decoder.decode(chunk.value, { stream: true });
        parse();
      }
      return queue.shift() ?? null;
    },
    close() {
      controller.abort();
    },
  };
}
