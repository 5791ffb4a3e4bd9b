import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { runRegoTests } from "../../src/policy/rego-tests/run-rego-tests.js";
import { ensureRuntimeBuilt } from "../rego/runtime/ensure-runtime-built.js";

beforeAll(() => ensureRuntimeBuilt());

const POLICY = `package p

allow if input.user == "admin"
`;

describe("runRegoTests (opa test semantics)", () => {
  test("true passes, undefined and other values fail, todo_ is skipped, evaluation errors are errors", () => {
    const tests = `package p_test

import data.p

test_admin if p.allow with input as {"user": "admin"}

test_guest if p.allow with input as {"user": "guest"}

test_value := 1

todo_test_later if false

test_conflict := x if {
  x := {"a": 1}["a"]
}

test_conflict := x if {
  x := 2
}
`;
    const r = runRegoTests({ modules: [{ file: "p.rego", text: POLICY }, { file: "p_test.rego", text: tests }] });
    expect(r.diagnostics).toEqual([]);
    expect(r.results.map((t) => [t.name, t.outcome, t.line])).toEqual([
      ["data.p_test.test_admin", "pass", 5],
      ["data.p_test.test_guest", "fail", 7],
      ["data.p_test.test_value", "fail", 9],
      ["data.p_test.todo_test_later", "skip", 11],
      ["data.p_test.test_conflict", "error", 13],
    ]);
  });

  test("parse errors come back as diagnostics with the file and line", () => {
    const r = runRegoTests({ modules: [{ file: "bad_test.rego", text: "package x\n\ntest_a if {\n" }] });
    expect(r.results).toEqual([]);
    expect(r.diagnostics[0]?.span.file).toBe("bad_test.rego");
  });

  test("the bundled library's own unit tests pass on Fleetward's engine", () => {
    const dir = join(process.cwd(), "policies", "library", "required-labels");
    const modules = readdirSync(dir)
      .filter((f) => f.endsWith(".rego"))
      .map((f) => ({ file: f, text: readFileSync(join(dir, f), "utf8") }));
    const r = runRegoTests({ modules });
    expect(r.diagnostics).toEqual([]);
    expect(r.results.length).toBeGreaterThanOrEqual(3);
    expect(r.results.filter((t) => t.outcome !== "pass")).toEqual([]);
  });
});
