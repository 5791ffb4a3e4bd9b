import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { checkModules } from "../../src/rego/check/check-modules.js";
import { formatDiagnostic } from "../../src/rego/diagnostics.js";
import type { Module } from "../../src/rego/parser/nodes.js";
import { parseModule } from "../../src/rego/parser/parse-module.js";

/**
 * The library's Rego must be accepted by Fleetward's own Rego front end (parser and checker, Rego v1): each policy
 * directory (module + its tests) and the Conftest directory are compiled together, as `opa test <dir>` would.
 */
const root = process.cwd();

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

const groups = new Map<string, string[]>();
for (const f of walk(join(root, "policies")).filter((p) => p.endsWith(".rego"))) {
  const rel = relative(root, f).split("\\").join("/");
  const group = rel.startsWith("policies/conftest/") ? "policies/conftest" : dirname(rel);
  groups.set(group, [...(groups.get(group) ?? []), rel]);
}

describe("policy library Rego", () => {
  it("has policy directories to check", () => {
    expect(groups.size).toBeGreaterThanOrEqual(10);
  });

  it.each([...groups.keys()])("%s parses and checks as Rego v1", (group) => {
    const problems: string[] = [];
    const modules: Module[] = [];
    for (const file of groups.get(group) ?? []) {
      const r = parseModule(readFileSync(join(root, file), "utf8"), { file, regoVersion: "v1" });
      problems.push(...r.diagnostics.map(formatDiagnostic));
      if (r.module !== undefined) modules.push(r.module);
    }
    problems.push(...checkModules(modules).diagnostics.map(formatDiagnostic));
    expect(problems).toEqual([]);
  });
});
