import {
  buildCombinedInput,
  checkConftest,
  checkConftestNamespace,
  conftestExitCode,
  conftestRuleKind,
  exceptionRuleName,
  formatConftestJson,
  formatConftestStandard,
  mergeConftestData,
  selectConftestNamespaces,
  type ConftestCheckResult,
  type ConftestError,
} from "../../src/policy/conftest/index.js";

describe("which rules count", () => {
  it.each([
    ["deny", "failure"],
    ["violation", "failure"],
    ["deny_no_latest", "failure"],
    ["violation_a_b2", "failure"],
    ["warn", "warning"],
    ["warn_probe", "warning"],
    ["denied", undefined],
    ["deny_", undefined],
    ["allow", undefined],
    ["exception", undefined],
    ["deny-x", undefined],
  ])("%s -> %s", (name, kind) => expect(conftestRuleKind(name)).toBe(kind));

  it("strips the prefix for exceptions; bare rule names are the empty string", () => {
    expect(exceptionRuleName("deny_run_as_root")).toBe("run_as_root");
    expect(exceptionRuleName("violation_x")).toBe("x");
    expect(exceptionRuleName("warn_y")).toBe("y");
    expect(exceptionRuleName("deny")).toBe("");
    expect(exceptionRuleName("violation")).toBe("");
  });
});

describe("checkConftestNamespace", () => {
  it("counts failures, warnings and one success per silent rule", () => {
    const r = checkConftestNamespace("d.yaml", {
      namespace: "main",
      rules: [
        { name: "deny", values: ["a", "b"] },
        { name: "warn_probes", values: ["w"] },
        { name: "deny_latest", values: [] },
        { name: "allow", values: [true] },
      ],
    });
    expect(r).toEqual({
      filename: "d.yaml",
      namespace: "main",
      successes: 1,
      failures: [
        { msg: "a", rule: "deny" },
        { msg: "b", rule: "deny" },
      ],
      warnings: [{ msg: "w", rule: "warn_probes" }],
      exceptions: [],
    });
  });

  it("counts a non-set rule value (deny written without contains) as a success, as Conftest does", () => {
    const r = checkConftestNamespace("d.yaml", { namespace: "main", rules: [{ name: "deny", values: true }] });
    expect([r.successes, r.failures.length]).toEqual([1, 0]);
  });

  it("adds the missing successes when rule bodies outnumber results", () => {
    const r = checkConftestNamespace("d.yaml", {
      namespace: "main",
      rules: [{ name: "deny", definitions: 3, values: ["only one fired"] }, { name: "warn", definitions: 2 }],
    });
    expect(r.failures).toHaveLength(1);
    // 5 bodies: 1 failure + 1 success (silent warn) + 3 added
    expect(r.successes).toBe(4);
  });

  it("reads object results: msg, _loc and the rest as metadata; rejects objects without a string msg", () => {
    const errors: ConftestError[] = [];
    const r = checkConftestNamespace(
      "d.yaml",
      {
        namespace: "main",
        rules: [{ name: "violation", values: [{ msg: "m", _loc: { file: "d.yaml", line: 4 }, details: { k: 1 } }, { details: {} }, 42] }],
      },
      errors,
    );
    expect(r.failures).toEqual([{ msg: "m", loc: { file: "d.yaml", line: "4" }, metadata: { details: { k: 1 } }, rule: "violation" }]);
    expect(errors).toEqual([{ code: "conftest_invalid_result", message: 'rule violation: "msg" field must be present and a string', file: "d.yaml" }]);
  });

  it("turns excepted rules into exceptions and does not report their results", () => {
    const r = checkConftestNamespace("d.yaml", {
      namespace: "main",
      rules: [
        { name: "deny_run_as_root", values: ["Containers must not run as root"] },
        { name: "deny_latest", values: ["latest tag"] },
      ],
      exceptions: [["run_as_root"]],
    });
    expect(r.failures.map((f) => f.msg)).toEqual(["latest tag"]);
    expect(r.exceptions).toEqual([{ msg: 'data.main.exception[_][_] == "run_as_root"', rule: "deny_run_as_root" }]);
    expect(r.successes).toBe(0);
  });

  it("counts one exception per matching entry, and the empty string exempts bare deny", () => {
    const r = checkConftestNamespace("d.yaml", {
      namespace: "main",
      rules: [{ name: "deny", values: ["x"] }, { name: "warn_a", values: ["w"] }],
      exceptions: [[""], ["", "a"]],
    });
    expect(r.exceptions.map((e) => e.msg)).toEqual([
      'data.main.exception[_][_] == ""',
      'data.main.exception[_][_] == ""',
      'data.main.exception[_][_] == "a"',
    ]);
    expect(r.failures).toEqual([]);
    expect(r.warnings).toEqual([]);
  });
});

describe("checkConftest", () => {
  const docA = { namespaces: [{ namespace: "main", rules: [{ name: "deny", values: ["bad a"] }] }] };
  const docB = { namespaces: [{ namespace: "main", rules: [{ name: "deny", values: [] }] }, { namespace: "k8s", rules: [{ name: "warn", values: ["k"] }] }] };

  it("adds up the documents of a multi-document file under the file, per namespace", () => {
    const out = checkConftest([{ file: "multi.yaml", documents: [docA, docB] }], ["main", "k8s"]);
    expect(out.results).toEqual([
      { filename: "multi.yaml", namespace: "main", successes: 1, warnings: [], failures: [{ msg: "bad a", rule: "deny" }], exceptions: [] },
      { filename: "multi.yaml", namespace: "k8s", successes: 0, warnings: [{ msg: "k", rule: "warn" }], failures: [], exceptions: [] },
    ]);
  });

  it("selects namespaces: main by default, --namespace, --all-namespaces", () => {
    expect(selectConftestNamespaces(["a", "b"])).toEqual(["main"]);
    expect(selectConftestNamespaces(["a", "b"], { namespaces: ["b"] })).toEqual(["b"]);
    expect(selectConftestNamespaces(["a", "b", "a"], { allNamespaces: true, namespaces: ["x"] })).toEqual(["a", "b"]);
  });

  it("builds the --combine input as path/contents pairs", () => {
    expect(
      buildCombinedInput([
        { path: "b.yaml", documents: [{ kind: "B" }] },
        { path: "a.yaml", documents: [{ kind: "A1" }, { kind: "A2" }] },
      ]),
    ).toEqual([
      { path: "a.yaml", contents: [{ kind: "A1" }, { kind: "A2" }] },
      { path: "b.yaml", contents: { kind: "B" } },
    ]);
  });
});

describe("mergeConftestData", () => {
  it("merges data files at the root and reports conflicts", () => {
    const r = mergeConftestData([
      { path: "a.yaml", value: { registries: { allowed: ["a/"] }, env: "prod" } },
      { path: "b.json", value: { registries: { blocked: ["b/"] } } },
      { path: "c.yaml", value: { env: "dev" } },
      { path: "d.yaml", value: ["not", "an", "object"] },
    ]);
    expect(r.data).toEqual({ registries: { allowed: ["a/"], blocked: ["b/"] }, env: "prod" });
    expect(r.errors.map((e) => [e.code, e.file])).toEqual([
      ["conftest_data_conflict", "c.yaml"],
      ["conftest_data_not_object", "d.yaml"],
    ]);
  });
});

describe("output", () => {
  const results: ConftestCheckResult[] = [
    {
      filename: "deploy.yaml",
      namespace: "main",
      successes: 2,
      warnings: [{ msg: "no probes" }],
      failures: [{ msg: "latest tag <x>", metadata: { z: 1, a: { d: 2, c: 1 } } }],
      exceptions: [{ msg: 'data.main.exception[_][_] == "root"' }],
    },
    { filename: "svc.yaml", namespace: "main", successes: 1, warnings: [], failures: [], exceptions: [] },
    { filename: "empty.yaml", namespace: "other", successes: 0, warnings: [], failures: [], exceptions: [] },
  ];

  it("writes Conftest's standard lines and summary", () => {
    expect(formatConftestStandard(results)).toEqual([
      "WARN - deploy.yaml - main - no probes",
      "FAIL - deploy.yaml - main - latest tag <x>",
      'EXCP - deploy.yaml - main - data.main.exception[_][_] == "root"',
      "? - empty.yaml - other - no policies found",
      "",
      "6 tests, 3 passed, 1 warning, 1 failure, 1 exception",
    ]);
    expect(formatConftestStandard([results[1]!]).at(-1)).toBe("1 test, 1 passed, 0 warnings, 0 failures, 0 exceptions");
  });

  it("writes Conftest's JSON", () => {
    const json = formatConftestJson(results.slice(0, 2));
    expect(json.endsWith("}\n]\n")).toBe(true);
    expect(json).toContain('\t\t"filename": "deploy.yaml",\n\t\t"namespace": "main",\n\t\t"successes": 2,');
    expect(json).toContain("latest tag \\u003cx\\u003e");
    expect(json.indexOf('"a"')).toBeLessThan(json.indexOf('"z"'));
    const parsed = JSON.parse(json) as Record<string, unknown>[];
    expect(parsed[1]).toEqual({ filename: "svc.yaml", namespace: "main", successes: 1 });
    expect(parsed[0]?.failures).toEqual([{ msg: "latest tag <x>", metadata: { a: { c: 1, d: 2 }, z: 1 } }]);
  });

  it("computes exit codes, with --fail-on-warn and --no-fail", () => {
    const clean = [results[1]!];
    const warnOnly: ConftestCheckResult[] = [{ ...results[1]!, warnings: [{ msg: "w" }] }];
    expect(conftestExitCode(clean)).toBe(0);
    expect(conftestExitCode(warnOnly)).toBe(0);
    expect(conftestExitCode(results)).toBe(1);
    expect(conftestExitCode(clean, { failOnWarn: true })).toBe(0);
    expect(conftestExitCode(warnOnly, { failOnWarn: true })).toBe(1);
    expect(conftestExitCode(results, { failOnWarn: true })).toBe(2);
    expect(conftestExitCode(results, { noFail: true })).toBe(0);
    expect(conftestExitCode(clean, { hadErrors: true })).toBe(1);
  });
});
