/**
 * Reads a password from standard input: typed twice without echo on a terminal, or
 * the first line of piped input (`printf '%s\n' "$PW" | npm run runtrail -- ...`).
 * Never from the command line, where it would end up in shell history and `ps`.
 */
export async function readSecret(prompt: string, input: NodeJS.ReadStream = process.stdin, output: NodeJS.WriteStream = process.stderr): Promise<string> {
  if (!input.isTTY) return firstLine(input);
  const first = await typeHidden(`${prompt}: `, input, output);
  const again = await typeHidden(`${prompt} (again): `, input, output);
  if (first !== again) throw new Error("the two passwords differ");
  return first;
}

async function firstLine(input: NodeJS.ReadableStream): Promise<string> {
  let text = "";
  for await (const chunk of input) {
    text += chunk.toString();
    if (text.includes("\n")) break;
  }
  return text.split(/\r?\n/)[0] ?? "";
}

function typeHidden(prompt: string, input: NodeJS.ReadStream, output: NodeJS.WriteStream): Promise<string> {
  return new Promise((resolve, reject) => {
    output.write(prompt);
    let value = "";
    input.setRawMode(true);
    input.resume();
    const finish = (err?: Error) => {
      input.setRawMode(false);
      input.pause();
      input.off("data", onData);
      output.write("\n");
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString("utf8")) {
        if (ch === "\r" || ch === "\n") return finish();
        if (ch === "\u0003") return finish(new Error("cancelled"));
        if (ch === "\u007f" || ch === "\b") value = value.slice(0, -1);
        else if (ch >= " ") value += ch;
      }
    };
    input.on("data", onData);
  });
}
