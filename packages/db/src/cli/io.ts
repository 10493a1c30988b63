/** What a command may use besides the store: output lines, the environment, a password reader. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  env: Record<string, string | undefined>;
  readSecret(prompt: string): Promise<string>;
}
