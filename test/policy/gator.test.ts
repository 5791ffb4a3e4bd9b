import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadManifestFile } from "../../src/policy/manifests/index.js";
import { formatGatorReport, judgeGatorCase, parseGatorSuite, resolveSuitePath } from "../../src/policy/gator/index.js";

const loadSuite = (name: string) => {
  const path = `policies/k8srequiredlabels/${name}`;
  const content = readFileSync(join(process.cwd(), "test/fixtures/gatekeeper/suite", name), "utf8");
  const docs = loadManifestFile({ path, content }).documents;
  expect(docs).toHaveLength(1);
  return parseGatorSuite(docs[0]!);
};

describe("resolveSuitePath", () => {
  it("resolves relative to the suite's directory and refuses to leave the repository", () => {
    expect(resolveSuitePath("policies/x/suite.yaml", "samples/a.yaml")).toBe("policies/x/samples/a.yaml");
    expect(resolveSuitePath("policies/x/suite.yaml", "../template.yaml")).toBe("policies/template.yaml");
    expect(resolveSuitePath("suite.yaml", "./a.yaml")).toBe("a.yaml");
    expect(resolveSuitePath("policies/suite.yaml", "../../a.yaml")).toBeUndefined();
    expect(resolveSuitePath("policies/suite.yaml", "/etc/passwd")).toBeUndefined();
  });
});

describe("parseGatorSuite", () => {
  it("reads tests, cases, inventory and assertions with resolved paths", () => {
    const r = loadSuite("suite.yaml");
    expect(r.diagnostics).toEqual([]);
    expect(r.suite).toEqual({
      name: "required-labels",
      file: "policies/k8srequiredlabels/suite.yaml",
      skip: false,
      tests: [
        {
          name: "owner-label",
          template: "policies/template.yaml",
          constraint: "policies/k8srequiredlabels/samples/constraint.yaml",
          skip: false,
          cases: [
            { name: "allowed", object: "policies/k8srequiredlabels/samples/allowed.yaml", inventory: [], assertions: [{ violations: "no" }], skip: false },
            {
              name: "missing-owner",
              object: "policies/k8srequiredlabels/samples/disallowed.yaml",
              inventory: ["policies/k8srequiredlabels/samples/namespace.yaml"],
              assertions: [{ violations: 1, message: "owner" }, { violations: "yes" }],
              skip: false,
            },
            { name: "skipped", object: "policies/k8srequiredlabels/samples/allowed.yaml", inventory: [], assertions: [{ violations: "no" }], skip: true },
          ],
        },
      ],
    });
  });

  it("reports escaping paths, empty assertions, bad counts and bad regexes with lines", () => {
    const r = loadSuite("bad-suite.yaml");
    expect(r.suite).toBeUndefined();
    expect(r.diagnostics.map((d) => [d.code, d.line])).toEqual([
      ["gator_path_escapes_root", 5],
      ["gator_invalid_assertion", 10],
      ["gator_invalid_assertion", 14],
      ["gator_invalid_regex", 18],
    ]);
  });
});

describe("judgeGatorCase", () => {
  const v = (...msgs: string[]) => msgs.map((msg) => ({ msg }));
  it("yes: at least one matching violation", () => {
    expect(judgeGatorCase([{ violations: "yes" }], v("a")).passed).toBe(true);
    expect(judgeGatorCase([{ violations: "yes" }], v())).toEqual({
      passed: false,
      failures: ["got 0 violations but want at least 1; got messages []"],
    });
    expect(judgeGatorCase([{ violations: "yes", message: "^img" }], v("other")).passed).toBe(false);
  });
  it("no: no matching violation", () => {
    expect(judgeGatorCase([{ violations: "no" }], v()).passed).toBe(true);
    expect(judgeGatorCase([{ violations: "no", message: "latest" }], v("missing label")).passed).toBe(true);
    expect(judgeGatorCase([{ violations: "no" }], v("x")).failures).toEqual(["got 1 violations but want none; got messages [x]"]);
  });
  it("N: exactly N matching violations", () => {
    expect(judgeGatorCase([{ violations: 2 }], v("a", "b")).passed).toBe(true);
    expect(judgeGatorCase([{ violations: 1 }], v("a", "b")).passed).toBe(false);
    expect(judgeGatorCase([{ violations: 1, message: "repo" }], v("bad repo", "no label")).passed).toBe(true);
    expect(judgeGatorCase([{ violations: 0 }], v()).passed).toBe(true);
  });
  it("message is a regular expression and every assertion must hold", () => {
    expect(judgeGatorCase([{ violations: 1, message: "^Image '.*' comes from" }], v("Image 'x' comes from an unapproved repository")).passed).toBe(true);
    const r = judgeGatorCase([{ violations: "yes" }, { violations: 0 }], v("a"));
    expect(r.passed).toBe(false);
    expect(r.failures).toHaveLength(1);
    expect(judgeGatorCase([], v()).passed).toBe(false);
  });
});

describe("formatGatorReport", () => {
  it("writes per-case lines and closes with the counts", () => {
    const suite = loadSuite("suite.yaml").suite!;
    const report = formatGatorReport([
      {
        suite,
        runs: [
          { test: "owner-label", case: "allowed", violations: [] },
          { test: "owner-label", case: "missing-owner", violations: [{ msg: "you must provide labels: {\"owner\"}" }, { msg: "other" }] },
        ],
      },
    ]);
    expect(report.lines).toEqual([
      "=== RUN   owner-label",
      "    === RUN   allowed",
      "    --- PASS: allowed",
      "    === RUN   missing-owner",
      "    --- PASS: missing-owner",
      "    === RUN   skipped",
      "    --- SKIP: skipped",
      "--- PASS: owner-label",
      "ok\tpolicies/k8srequiredlabels/suite.yaml",
      "2 passed, 0 failed",
    ]);
    const failing = formatGatorReport([{ suite, runs: [{ test: "owner-label", case: "allowed", violations: [{ msg: "boom" }] }] }]);
    expect(failing.lines.at(-1)).toBe("0 passed, 2 failed");
    expect(failing.lines).toContain("        got 1 violations but want none; got messages [boom]");
    expect(failing.lines).toContain("        no result was recorded for this case");
    expect(failing.lines).toContain("FAIL\tpolicies/k8srequiredlabels/suite.yaml");
  });
});
