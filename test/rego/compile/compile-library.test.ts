import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { compile } from "../../../src/rego/compile.js";
import { CompiledPolicy } from "../../../src/rego/evaluator/compiled-policy.js";
import { ensureRuntimeBuilt } from "../runtime/ensure-runtime-built.js";

beforeAll(() => ensureRuntimeBuilt());

/** The policy library's modules (no tests), each `{ name, file, text }`. */
function libraryPolicies(): Array<{ name: string; file: string; text: string }> {
  const root = "policies/library";
  const out: Array<{ name: string; file: string; text: string }> = [];
  for (const dir of readdirSync(root).sort()) {
    for (const f of readdirSync(join(root, dir)).sort()) {
      if (!f.endsWith(".rego") || f.endsWith("_test.rego")) continue;
      out.push({ name: f.replace(/\.rego$/, ""), file: join(root, dir, f), text: readFileSync(join(root, dir, f), "utf8") });
    }
  }
  return out;
}

/** Compile speed is measured by `npm run bench` (bench/compile.bench.ts); these tests prove the result works. */
describe("library compile", () => {
  test("every library policy compiles, loads in the SDK and reports a violation", async () => {
    const policies = libraryPolicies();
    expect(policies.length).toBeGreaterThan(3);
    for (const p of policies) {
      const r = compile({ modules: [{ file: p.file, text: p.text + `\n# ${Math.random()}\n` }], entrypoints: [`${p.name}/violation`] });
      expect(r.diagnostics).toEqual([]);
      const policy = await CompiledPolicy.load(r.wasm as Uint8Array);
      const result = policy.evaluate(`${p.name}/violation`, { review: { object: { kind: "Pod", metadata: { name: "x" }, spec: { containers: [] } } }, parameters: {} });
      expect(Array.isArray(result[0]?.result)).toBe(true);
    }
  });

  test("a ~3,500-line library (the policies renamed into many packages) compiles cold", () => {
    const base = libraryPolicies();
    const modules: Array<{ file: string; text: string }> = [];
    const entrypoints: string[] = [];
    let lines = 0;
    for (let copy = 0; lines < 3500; copy++) {
      for (const p of base) {
        const pkg = `${p.name}_${copy}`;
        const text = p.text.replace(/^package .*$/m, `package ${pkg}`);
        modules.push({ file: `${pkg}.rego`, text });
        entrypoints.push(`${pkg}/violation`);
        lines += text.split("\n").length;
      }
    }
    const r = compile({ modules, entrypoints });
    expect(r.diagnostics).toEqual([]);
    expect(r.wasm).toBeDefined();
  }, 60_000);
});
