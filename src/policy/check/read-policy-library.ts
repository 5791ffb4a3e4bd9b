/**
 * Reads Fleetward's bundled policy library (`policies/library/<name>/template.yaml` and `constraint.yaml` of the
 * installed package) once per process. The files are labelled `fleetward:policies/library/<name>/…` so that no one
 * mistakes them for files of the repository being checked.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { POLICY_LIBRARY_NAMES } from "../../config/policy-schema.js";
import type { LibraryPolicy } from "./collect-policy-sources.js";

/** The `policies/library` folder of the package this file belongs to (from `src/` or `dist/src/`). */
export function policyLibraryDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, "policies", "library");
    if (existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error("cannot locate Fleetward's policies/library folder");
    dir = parent;
  }
}

let cached: Promise<LibraryPolicy[]> | undefined;

/** Every library policy, read from `dir` (default: the package's own library; cached for the process). */
export function readPolicyLibrary(dir?: string): Promise<LibraryPolicy[]> {
  if (dir !== undefined) return readFrom(dir);
  cached ??= readFrom(policyLibraryDir());
  return cached;
}

async function readFrom(dir: string): Promise<LibraryPolicy[]> {
  return Promise.all(
    POLICY_LIBRARY_NAMES.map(async (name) => ({
      name,
      templateFile: `fleetward:policies/library/${name}/template.yaml`,
      templateText: await readFile(path.join(dir, name, "template.yaml"), "utf8"),
      constraintFile: `fleetward:policies/library/${name}/constraint.yaml`,
      constraintText: await readFile(path.join(dir, name, "constraint.yaml"), "utf8"),
    })),
  );
}
