/**
 * The v0 corpus (Gatekeeper templates and libraries, Conftest policies) passes the compile checks, the
 * libraries together with the templates that import them. The library policies in
 * policies/ (Rego v1) pass them too.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { checkModules } from "../../../src/rego/check/check-modules.js";
import { formatDiagnostic } from "../../../src/rego/diagnostics.js";
import type { Module } from "../../../src/rego/parser/nodes.js";
import { parseModule } from "../../../src/rego/parser/parse-module.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "../../..");
const v0Dir = join(root, "test/fixtures/rego-v0");

function parse(path: string, regoVersion: "v0" | "v1"): Module {
  const file = relative(root, path);
  const r = parseModule(readFileSync(path, "utf8"), { file, regoVersion });
  expect(r.diagnostics.map(formatDiagnostic)).toEqual([]);
  if (!r.module) throw new Error(`${file}: no module`);
  return r.module;
}

function regoFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...regoFiles(p));
    else if (entry.name.endsWith(".rego")) out.push(p);
  }
  return out.sort();
}

const v0Files = regoFiles(v0Dir);

test("the whole v0 corpus checks together (templates importing the libraries)", () => {
  const result = checkModules(v0Files.map((f) => parse(f, "v0")));
  expect(result.diagnostics.map(formatDiagnostic)).toEqual([]);
  expect(result.program).toBeDefined();
});

test("a template checked without the library it imports names the missing function", () => {
  const result = checkModules([parse(join(v0Dir, "k8scontainerlimits.rego"), "v0")]);
  expect(result.diagnostics.map(formatDiagnostic)).toEqual([
    "test/fixtures/rego-v0/k8scontainerlimits.rego:65:7: rego_type_error: undefined function data.lib.exempt_container.is_exempt",
  ]);
});


test("every module of the bundled policy library (policies/, Rego v1) passes the checks", () => {
  const files = regoFiles(join(root, "policies")).filter((f) => !f.endsWith("_test.rego"));
  expect(files.length).toBeGreaterThan(5);
  for (const f of files) {
    const result = checkModules([parse(f, "v1")]);
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([]);
  }
});
