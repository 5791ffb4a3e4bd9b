import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { collect } from "../../../src/rego/ast/walk.js";
import { formatModule } from "../../../src/rego/ast/format-module.js";
import { astEqual } from "../../../src/rego/ast/strip-spans.js";
import { parseModule } from "../../../src/rego/parser/parse-module.js";
import type { Module } from "../../../src/rego/parser/nodes.js";

const dir = join(dirname(fileURLToPath(import.meta.url)), "../../fixtures/rego-v0");
const files = readdirSync(dir).filter((f) => f.endsWith(".rego")).sort();

function parseV0(file: string): Module {
  const r = parseModule(readFileSync(join(dir, file), "utf8"), { file, regoVersion: "v0" });
  expect(r.diagnostics.map((d) => `${d.span.start.line}:${d.span.start.column} ${d.message}`)).toEqual([]);
  if (!r.module) throw new Error(`${file}: no module`);
  return r.module;
}

describe("v0 corpus (Gatekeeper and Conftest style)", () => {
  it("has fixtures", () => {
    expect(files.length).toBeGreaterThanOrEqual(8);
  });

  it.each(files)("%s parses as v0 and round-trips through the printer", (file) => {
    const m = parseV0(file);
    const again = parseModule(formatModule(m), { file, regoVersion: "v0" });
    expect(again.diagnostics).toEqual([]);
    expect(astEqual(again.module, m)).toBe(true);
  });

  it.each(files.filter((f) => !f.includes("regov1") && !f.includes("future")))("%s is rejected as v1 (needs if/contains)", (file) => {
    const r = parseModule(readFileSync(join(dir, file), "utf8"), { file, regoVersion: "v1" });
    expect(r.diagnostics.length).toBeGreaterThan(0);
    expect(r.diagnostics.every((d) => d.code === "rego_parse_error")).toBe(true);
  });

  it("reads Gatekeeper violation rules as partial sets with object keys", () => {
    const m = parseV0("k8srequiredlabels.rego");
    const violations = m.rules.filter((r) => r.head.ref.type === "Var" && r.head.ref.name === "violation");
    expect(violations).toHaveLength(2);
    for (const v of violations) {
      expect(v.kind).toBe("partial-set");
      expect(v.head.key?.type).toBe("Object");
      expect(v.if).toBe(false);
    }
    const fns = m.rules.filter((r) => r.kind === "function");
    expect(fns.map((f) => f.head.args?.length)).toEqual([2, 2]);
    expect(m.imports[0]?.path.type).toBe("Ref");
    // set difference `required - provided` is the minus operator
    const minus = collect(m, "Call").filter((c) => c.infix === "-");
    expect(minus).toHaveLength(1);
  });

  it("keeps else chains, multi-clause functions and big numbers", () => {
    const m = parseV0("k8scontainerlimits.rego");
    const getSuffix = m.rules.filter((r) => r.head.ref.type === "Var" && r.head.ref.name === "get_suffix");
    expect(getSuffix).toHaveLength(2);
    const withElse = getSuffix[1];
    expect(withElse?.else?.value?.type).toBe("Var");
    expect(withElse?.else?.else?.value).toMatchObject({ type: "String", value: "" });
    const e = m.rules.find((r) => r.head.args?.[0]?.type === "String" && (r.head.args[0] as { value: string }).value === "E");
    expect(e?.head.value).toMatchObject({ type: "Number", value: "1000000000000000000000" });
  });

  it("reads Conftest deny[msg] as partial sets and `p = v` bodyless rules as complete", () => {
    const m = parseV0("conftest-deployment.rego");
    const deny = m.rules.filter((r) => r.head.ref.type === "Var" && r.head.ref.name === "deny");
    expect(deny.map((r) => r.kind)).toEqual(["partial-set", "partial-set"]);
    const name = m.rules[0];
    expect(name?.kind).toBe("complete");
    expect(name?.bodyImplied).toBe(true);
    expect(name?.head.assign).toBe(false);
  });

  it("enables future keywords per import and rego.v1 rules", () => {
    const fut = parseV0("k8sallowedrepos-future.rego");
    expect(collect(fut, "Every")).toHaveLength(1);
    expect(collect(fut, "SomeIn")).toHaveLength(1);
    expect(fut.v1Syntax).toBe(false);
    const v1 = parseV0("regov1-import.rego");
    expect(v1.v1Syntax).toBe(true);
    expect(v1.rules[0]?.head.contains).toBe(true);
    expect(v1.rules[2]?.if).toBe(true);
  });
});
