import { annotationBatches, truncateOutput, type CheckAnnotation } from "../../src/checks/check-run-plan.js";
import { planConfigCheck, type ConfigProblem } from "../../src/checks/config-check.js";

const problem = (over: Partial<ConfigProblem> = {}): ConfigProblem => ({
  code: "config_unknown_environment",
  message: 'environments[1].promotedFrom: unknown environment "stagin"',
  file: ".github/fleetward.yml",
  line: 7,
  column: 19,
  endLine: 7,
  endColumn: 25,
  severity: "error",
  ...over,
});

describe("planConfigCheck", () => {
  test("a valid configuration passes with no annotations", () => {
    const plan = planConfigCheck({ headSha: "a".repeat(40), sources: [], annotatable: () => true, problems: [], fallbackSha: null });
    expect(plan.name).toBe("fleetward/config");
    expect(plan.conclusion).toBe("success");
    expect(plan.annotations).toEqual([]);
    expect(plan.title).toBe("Valid configuration");
  });

  test("an error fails the check with an annotation at its line and columns", () => {
    const plan = planConfigCheck({
      headSha: "b".repeat(40),
      sources: [{ file: ".github/fleetward.yml", location: "acme/gitops@bbbbbbb" }],
      annotatable: (f) => f === ".github/fleetward.yml",
      problems: [problem()],
      fallbackSha: "c".repeat(40),
    });
    expect(plan.conclusion).toBe("failure");
    expect(plan.title).toBe("1 configuration error");
    expect(plan.annotations).toEqual([
      {
        path: ".github/fleetward.yml",
        startLine: 7,
        endLine: 7,
        startColumn: 19,
        endColumn: 25,
        level: "failure",
        title: "config_unknown_environment",
        message: 'environments[1].promotedFrom: unknown environment "stagin"',
      },
    ]);
    expect(plan.summary).toContain("keeps using the last valid configuration, from commit ccccccc");
    expect(plan.summary).toContain("`.github/fleetward.yml:7:19`");
  });

  test("multi-line problems drop columns; problems in other repositories are listed, not annotated", () => {
    const plan = planConfigCheck({
      headSha: "d".repeat(40),
      sources: [],
      annotatable: (f) => f === ".github/fleetward.yml",
      problems: [
        problem({ line: 3, endLine: 5, severity: "warning", code: "config_overlap" }),
        problem({ file: "acme/.github:.github/fleetward.yml", line: 2 }),
      ],
      fallbackSha: null,
    });
    expect(plan.conclusion).toBe("failure");
    expect(plan.annotations).toHaveLength(1);
    expect(plan.annotations[0]).toMatchObject({ startLine: 3, endLine: 5, level: "warning" });
    expect(plan.annotations[0]).not.toHaveProperty("startColumn");
    expect(plan.summary).toContain("acme/.github:.github/fleetward.yml:2:19");
    expect(plan.summary).toContain("No earlier valid configuration is known");
  });

  test("warnings alone pass", () => {
    const plan = planConfigCheck({ headSha: "e".repeat(40), sources: [], annotatable: () => true, problems: [problem({ severity: "warning" })], fallbackSha: null });
    expect(plan.conclusion).toBe("success");
    expect(plan.title).toBe("Valid, with 1 warning");
  });

  test("pipes and newlines in messages do not break the summary table", () => {
    const plan = planConfigCheck({ headSha: "f".repeat(40), sources: [], annotatable: () => true, problems: [problem({ message: "a | b\nc" })], fallbackSha: null });
    expect(plan.summary).toContain("a \\| b c");
  });
});

describe("annotation batches and output limits", () => {
  const ann = (i: number): CheckAnnotation => ({ path: "a.yaml", startLine: i, endLine: i, level: "failure", message: `m${i}` });
  test("batches hold at most 50 and keep order; none gives one empty batch", () => {
    expect(annotationBatches([])).toEqual([[]]);
    const batches = annotationBatches(Array.from({ length: 101 }, (_, i) => ann(i + 1)));
    expect(batches.map((b) => b.length)).toEqual([50, 50, 1]);
    expect(batches[2]?.[0]?.startLine).toBe(101);
  });
  test("long output is cut to GitHub's limit with a note", () => {
    const cut = truncateOutput("x".repeat(70_000));
    expect(cut.length).toBe(65_535);
    expect(cut.endsWith("longer than GitHub allows)")).toBe(true);
    expect(truncateOutput("short")).toBe("short");
  });
});

test("on a pull request an invalid configuration explains what merging would do", () => {
  const plan = planConfigCheck({
    headSha: "a".repeat(40),
    sources: [],
    annotatable: () => true,
    problems: [problem()],
    fallbackSha: null,
    mode: "pull_request",
  });
  expect(plan.conclusion).toBe("failure");
  expect(plan.summary).toContain("Merging this pull request would leave the repository with an invalid configuration");
});
