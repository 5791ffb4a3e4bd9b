/**
 * A fresh temporary directory per test (removed after it), with helpers to write files into it and to run git in it
 * (commits need no global git identity and are never signed).
 */
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export interface TempRepo {
  /** The current test's directory. */
  readonly dir: string;
  /** Writes each file (path relative to `dir`), creating its folders. */
  readonly writeFiles: (files: Record<string, string | Uint8Array>) => Promise<void>;
  /** Runs git in `dir` and returns its stdout. */
  readonly git: (...args: string[]) => string;
}

export function useTempRepo(prefix: string): TempRepo {
  let current: string | undefined;
  const repo: TempRepo = {
    get dir(): string {
      if (current === undefined) throw new Error("useTempRepo: the directory exists only inside a test");
      return current;
    },
    writeFiles: async (files) => {
      for (const [path, content] of Object.entries(files)) {
        await mkdir(dirname(join(repo.dir, path)), { recursive: true });
        await writeFile(join(repo.dir, path), content);
      }
    },
    git: (...args) =>
      execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false", ...args], {
        cwd: repo.dir,
        encoding: "utf8",
      }),
  };
  beforeEach(async () => {
    current = await mkdtemp(join(tmpdir(), prefix));
  });
  afterEach(async () => {
    const dir = current;
    current = undefined;
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });
  return repo;
}
