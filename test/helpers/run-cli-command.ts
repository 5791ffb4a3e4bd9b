/** Runs one CLI command function with a capturing CliIO (files from disk) and returns its exit code and output. */
import type { CliIO } from "../../src/cli/cli-io.js";
import { captureIO } from "./capture-cli-io.js";

export async function runCliCommand(command: (args: string[], io: CliIO) => Promise<number>, args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIO();
  const code = await command(args, io);
  return { code, out: io.out, err: io.err };
}
