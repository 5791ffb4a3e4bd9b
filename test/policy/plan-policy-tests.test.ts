import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { loadConfig } from "../../src/config/load-config.js";
import type { FleetwardConfig } from "../../src/config/schema.js";
import { planPolicyTests } from "../../src/policy/check/plan-policy-tests.js";
import { ensureRuntimeBuilt } from "../rego/runtime/ensure-runtime-built.js";

beforeAll(() => ensureRuntimeBuilt());

const exampleDir = join(process.cwd(), "policies", "examples", "disallowed-image-repos");

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)]));
}

/** The example policy folder as it would sit in a config repository under policies/images/. */
function exampleFiles(): Map<string, string> {
  return new Map(walk(exampleDir).map((f) => [`policies/images/${relative(exampleDir, f).split("\\").join("/")}`, readFileSync(f, "utf8")]));
}

const policies = (loadConfig({ layers: [] }).config as FleetwardConfig).policies;

describe("planPolicyTests", () => {
  test("the example's Rego unit tests and gator suite pass", async () => {
    const plan = await planPolicyTests({ policies, headSha: "a".repeat(40), files: exampleFiles() });
    expect(plan.name).toBe("fleetward/policy-tests");
    expect(plan.conclusion).toBe("success");
    expect(plan.summary).toContain("Rego 5 passed, 0 failed, 0 skipped (1 run); gator 2 passed, 0 failed (1 suite).");
    expect(plan.text).toContain("ok\tpolicies/images/suite.yaml");
    expect(plan.annotations).toEqual([]);
  });

  test("a failing Rego test and a failing gator case fail the check, the test annotated at its line", async () => {
    const files = exampleFiles();
    const testFile = "policies/images/k8sdisallowedimagerepos_test.rego";
    const text = (files.get(testFile) as string).replace("test_approved_image_allowed if {", "test_approved_image_allowed if {\n\tfalse");
    files.set(testFile, text);
    files.set("policies/images/samples/allowed.yaml", (files.get("policies/images/samples/allowed.yaml") as string).replace("your-approved-registry.com/", "docker.io/"));
    const plan = await planPolicyTests({ policies, headSha: "b".repeat(40), files });
    expect(plan.conclusion).toBe("failure");
    expect(plan.title).toBe("2 policy tests failed");
    expect(plan.annotations).toEqual([
      expect.objectContaining({ path: testFile, startLine: 11, level: "failure", title: "data.k8sdisallowedimagerepos_test.test_approved_image_allowed failed" }),
    ]);
    expect(plan.text).toContain("--- FAIL: approved-image");
  });

  test("Conftest modules under policy/ are one run; a test that does not parse is a failure at its line", async () => {
    const files = new Map([
      ["policy/main.rego", 'package main\n\ndeny contains "x" if input.bad\n'],
      ["policy/main_test.rego", "package main\n\ntest_denied if {\n  count(deny) == 1 with input as {\"bad\": true}\n"],
    ]);
    const plan = await planPolicyTests({ policies, headSha: "c".repeat(40), files });
    expect(plan.conclusion).toBe("failure");
    expect(plan.annotations[0]).toMatchObject({ path: "policy/main_test.rego", level: "failure" });
  });

  test("no tests at all is neutral", async () => {
    const plan = await planPolicyTests({ policies, headSha: "d".repeat(40), files: new Map([["policy/main.rego", "package main\n"]]) });
    expect(plan.conclusion).toBe("neutral");
  });
});
