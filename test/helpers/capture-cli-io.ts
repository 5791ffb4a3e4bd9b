/**
 * A CliIO for tests that keeps what a command prints. Files are read from disk, or from `files` when given
 * (a missing one fails like the file system does, with code ENOENT).
 */
import { readFile } from "node:fs/promises";
import type { CliIO } from "../../src/cli/cli-io.js";

export function captureIO(files?: Record<string, string>): CliIO & { out: string; err: string } {
  const io = {
    out: "",
    err: "",
    stdout(t: string) {
      io.out += t;
    },
    stderr(t: string) {
      io.err += t;
    },
    async readFile(path: string): Promise<string> {
      if (!files) return readFile(path, "utf8");
      const text = files[path];
      if (text === undefined) throw Object.assign(new Error(`ENOENT: no such file, open '${path}'`), { code: "ENOENT" });
      return text;
    },
  };
  return io;
}
