/**
 * Runs a real Kustomize (`kubectl kustomize`, the oracle) on a tree of files written to a temporary folder.
 *
 *   kustomizeVersion(kubectl) → "v5.5.0"
 *   runKustomize(kubectl, { "base/kustomization.yaml": "...", ... }, "overlays/prod")
 *     → { ok: true, stdout } | { ok: false, message }   (the message with the temporary folder replaced by "<root>")
 *
 * kubectl kustomize v5.5.0 has no --reorder flag: it prints Kustomize's legacy order unless the built kustomization
 * has `sortOptions`.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export function kustomizeVersion(kubectl) {
  const out = execFileSync(kubectl, ["version", "--client"], { encoding: "utf8" });
  const m = /Kustomize Version:\s*(\S+)/.exec(out);
  if (!m) throw new Error(`${kubectl} does not report a Kustomize version:\n${out}`);
  return m[1];
}

/** The error kubectl logged (`E1207 … "command failed" err="…"` or `err=<` lines `>`), without warnings and log prefix. */
function errorMessage(stderr) {
  const text = stderr.split("\n").filter((l) => l.trim() !== "" && !l.startsWith("# Warning")).join("\n");
  const quoted = /err="((?:[^"\\]|\\.)*)"/.exec(text);
  const block = /err=<\n([\s\S]*?)\n\s*>/.exec(text);
  const raw = quoted ? JSON.parse(`"${quoted[1]}"`) : block ? block[1].replace(/^\t/gm, "") : text.trim();
  const message = raw.replace(/0xc[0-9a-f]{6,}/g, "0xc…"); // Go pointers: not the same from one run to the next
  return message.length > 400 ? `${message.slice(0, 400)}…` : message;
}

export function runKustomize(kubectl, files, run) {
  const root = mkdtempSync(join(tmpdir(), "kdiff-"));
  try {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    const dir = join(root, run);
    mkdirSync(dir, { recursive: true });
    const res = spawnSync(kubectl, ["kustomize", dir], { encoding: "utf8", timeout: 30_000, env: { PATH: process.env.PATH, HOME: root } });
    if (res.error) throw res.error;
    if (res.status === 0) return { ok: true, stdout: res.stdout };
    return { ok: false, message: errorMessage(res.stderr.replaceAll(root, "<root>")) };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
