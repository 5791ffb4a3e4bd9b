/**
 * The sample fleet repository the demo creates in the simulated GitHub: the files of `src/demo/fleet/`, read from
 * the source tree (the compiled demo runs from `dist/src/demo/`, so the folder is found from the repository root).
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join, relative } from "node:path";

/** The repository root: the first folder above this module holding `package.json`. */
export function repositoryRoot(from: string = import.meta.dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json"))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}: run the demo from a Fleetward checkout`);
  }
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

/** Path in the repository → content, for every file of the sample fleet. */
export function readFleetFiles(dir: string = join(repositoryRoot(), "src", "demo", "fleet")): Record<string, string> {
  return Object.fromEntries(walk(dir).map((file) => [relative(dir, file).split("\\").join("/"), readFileSync(file, "utf8")]));
}
