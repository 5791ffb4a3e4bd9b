// Shared by the GEN oracle scripts: a seeded random source, and one `kubectl kustomize` run over files written to a
// temporary folder (of its subfolder `run`) ({ output } or { error }). Never used by the tests themselves.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export function seeded(seed) {
  let state = seed;
  return () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
}

export function kustomizeOnce(files, run = ".") {
  const dir = mkdtempSync(join(tmpdir(), "gen-oracle-"));
  try {
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
    return { output: execFileSync("kubectl", ["kustomize", join(dir, run)], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }) };
  } catch (e) {
    const stderr = String(e.stderr);
    return { error: stderr.slice(Math.max(0, stderr.indexOf("err=")), 300) };
  } finally {
    rmSync(dir, { recursive: true });
  }
}
