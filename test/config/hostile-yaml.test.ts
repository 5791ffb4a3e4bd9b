import { loadConfig, MAX_CONFIG_DIAGNOSTICS } from "../../src/config/load-config.js";
import { DEFAULT_YAML_LIMITS, estimateYamlNesting } from "../../src/config/parse-config-layer.js";
import { readExtends } from "../../src/config/read-extends.js";

const repo = (text: string) => ({ source: "repo" as const, file: ".github/fleetward.yml", text });

/** Loads one hostile text and returns its single diagnostic plus how long loading took. */
function refuse(text: string) {
  const started = performance.now();
  const result = loadConfig({ layers: [repo(text)] });
  const ms = performance.now() - started;
  expect(result.config).toBeUndefined();
  expect(result.diagnostics).toHaveLength(1);
  return { d: result.diagnostics[0], ms };
}

const laughs = [
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]",
  "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]",
  "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]",
  "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]",
  "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]",
  "g: [*f,*f,*f,*f,*f,*f,*f,*f,*f]",
].join("\n");

describe("hostile YAML is refused quickly with a diagnostic", () => {
  test("billion laughs (54 aliases, 9^6 nodes once expanded) is measured, not built", () => {
    const { d, ms } = refuse(laughs);
    expect(d).toMatchObject({ code: "config_yaml_limit", severity: "error", file: ".github/fleetward.yml", line: 1, column: 1 });
    expect(d?.message).toBe("YAML expands to more than 250000 nodes through its aliases");
    expect(ms).toBeLessThan(1000);
  });

  test("expansion below the node limit is still capped by yaml's expansion guard", () => {
    // 7 aliases per level x 6 levels = 42 aliases expanding to about 7^6 = 117 649 nodes (under 250 000).
    const text = [
      "a: &a [x,x,x,x,x,x,x]",
      ..."bcdef".split("").map((n, i) => `${n}: &${n} [${Array(7).fill(`*${"abcdef"[i]}`).join(",")}]`),
    ].join("\n");
    const { d, ms } = refuse(text);
    expect(d?.code).toBe("config_yaml_limit");
    expect(d?.message).toBe("YAML expands too much: Excessive alias count indicates a resource exhaustion attack");
    expect(ms).toBeLessThan(1000);
  });

  test("too many alias nodes", () => {
    const text = `a: &a x\nb: [${Array(1001).fill("*a").join(", ")}]\n`;
    const { d } = refuse(text);
    expect(d).toMatchObject({ code: "config_yaml_limit", message: "YAML uses 1001 aliases; at most 1000 are allowed" });
  });

  test("a self-referencing alias", () => {
    const { d } = refuse("a: &a [1, *a]\n");
    expect(d?.code).toBe("config_yaml_limit");
    expect(d?.message).toMatch(/refer to themselves/);
  });

  test("anchors shared by many clusters are fine", () => {
    const clusters = Array.from({ length: 120 }, (_, i) => `  - { name: c${i}, environment: prod, labels: *eu, settings: *s }`);
    const text = [
      "environments:",
      "  - name: prod",
      "    paths: [p/**]",
      "    settings: &s { rollback: { autoMerge: true, lookback: 1d } }",
      "clusters:",
      "  - { name: base, environment: prod, labels: &eu { region: eu } }",
      ...clusters,
    ].join("\n");
    const result = loadConfig({ layers: [repo(text)] });
    expect(result.diagnostics).toEqual([]);
    expect(result.config?.clusters[120]?.labels).toEqual({ region: "eu" });
    expect(result.config?.clusters[120]?.settings.rollback?.lookback).toBe("1d");
  });

  test("a 10 MB file", () => {
    const text = `settings:\n  x: "${"a".repeat(10 * 1024 * 1024)}"\n`;
    const { d, ms } = refuse(text);
    expect(d?.code).toBe("config_yaml_limit");
    expect(d?.message).toBe(`file is ${text.length} bytes; the limit is ${DEFAULT_YAML_LIMITS.maxBytes} bytes`);
    expect(ms).toBeLessThan(1000);
  });

  test("size counts UTF-8 bytes, not characters", () => {
    const text = `x: "${"é".repeat(200 * 1024)}"\n`;
    expect(text.length).toBeLessThan(DEFAULT_YAML_LIMITS.maxBytes);
    expect(refuse(text).d?.code).toBe("config_yaml_limit");
  });

  test("100 000 nested flow sequences (would exhaust memory in the parser)", () => {
    const { d, ms } = refuse("[".repeat(100_000) + "]".repeat(100_000));
    expect(d?.code).toBe("config_yaml_limit");
    expect(d?.message).toMatch(/nests deeper than 64/);
    expect(ms).toBeLessThan(1000);
  });

  test("deeply nested compact block sequences", () => {
    const { d } = refuse(`${"- ".repeat(20_000)}x\n`);
    expect(d?.code).toBe("config_yaml_limit");
  });

  test("deep indentation-based nesting within the size limit does not crash", () => {
    const text = Array.from({ length: 300 }, (_, i) => `${" ".repeat(i)}k${i}:`).join("\n");
    expect(text.length).toBeLessThan(DEFAULT_YAML_LIMITS.maxBytes);
    const result = loadConfig({ layers: [repo(text)] });
    expect(result.config).toBeUndefined();
    expect(result.diagnostics.length).toBeGreaterThan(0);
  });

  test("a mapping with three thousand duplicate keys is reported quickly, capped and summarised", () => {
    const text = `{a: 1, ${"b: 1, ".repeat(3_000)}}`;
    const started = performance.now();
    const result = loadConfig({ layers: [repo(text)] });
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(result.config).toBeUndefined();
    const dups = result.diagnostics.filter((d) => d.code === "config_yaml_duplicate_key");
    expect(dups).toHaveLength(MAX_CONFIG_DIAGNOSTICS);
    expect(dups[0]).toMatchObject({ line: 1, column: 14, endColumn: 15, message: 'duplicate key "b" (first defined on line 1)' });
    expect(result.diagnostics[MAX_CONFIG_DIAGNOSTICS]).toMatchObject({
      code: "config_diagnostics_truncated",
      severity: "warning",
      message: `${2_999 - MAX_CONFIG_DIAGNOSTICS} more problems not shown; fix the ones above first`,
    });
  });

  test("two thousand unknown keys are located quickly, capped and summarised", () => {
    const text = Array.from({ length: 2_000 }, (_, i) => `k${i}: 1`).join("\n");
    const started = performance.now();
    const result = loadConfig({ layers: [repo(text)] });
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(result.diagnostics).toHaveLength(MAX_CONFIG_DIAGNOSTICS + 1);
    expect(result.diagnostics[99]).toMatchObject({ code: "config_unknown_key", line: 100, column: 1, message: 'k99: unknown key "k99"' });
    expect(result.diagnostics[100]).toMatchObject({
      code: "config_diagnostics_truncated",
      message: "1900 more problems not shown; fix the ones above first",
      line: 100,
    });
  });

  test("__proto__ and constructor keys are plain unknown keys and pollute nothing", () => {
    const result = loadConfig({
      layers: [
        { source: "org", file: "org.yml", text: "settings:\n  __proto__: { polluted: true }\n" },
        repo("__proto__: { polluted: true }\nsettings:\n  constructor: { polluted: true }\n"),
      ],
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(result.diagnostics.map((d) => [d.code, d.message, d.file, d.line])).toEqual([
      ["config_unknown_key", 'settings.__proto__: unknown key "__proto__"', "org.yml", 2],
      ["config_unknown_key", 'settings.constructor: unknown key "constructor"', ".github/fleetward.yml", 3],
      ["config_unknown_key", '__proto__: unknown key "__proto__"', ".github/fleetward.yml", 1],
    ]);
  });

  test("a large fleet (300 clusters) loads in reasonable time", () => {
    const envs = Array.from({ length: 20 }, (_, i) => `  - { name: e${i}, paths: [envs/e${i}/**] }`).join("\n");
    const clusters = Array.from(
      { length: 300 },
      (_, i) => `  - { name: c${i}, environment: e${i % 20}, labels: { wave: "${i % 5}" }, paths: [clusters/c${i}/**] }`,
    ).join("\n");
    const started = performance.now();
    const result = loadConfig({ layers: [repo(`environments:\n${envs}\nclusters:\n${clusters}\n`)] });
    expect(result.diagnostics).toEqual([]);
    expect(result.config?.clusters).toHaveLength(300);
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  test("readExtends applies the same limits without throwing", () => {
    expect(readExtends({ file: "f", text: `_extends: x\n${laughs}` }, { from: { owner: "o", repo: "r" } })).toEqual({
      target: null,
      diagnostics: [],
    });
  });

  test("custom limits are honoured", () => {
    const result = loadConfig({ layers: [repo("a: 1\n")], limits: { ...DEFAULT_YAML_LIMITS, maxBytes: 3 } });
    expect(result.diagnostics.map((d) => d.code)).toEqual(["config_yaml_limit"]);
  });
});

describe("estimateYamlNesting", () => {
  test("counts flow and compact nesting", () => {
    expect(estimateYamlNesting("a: 1\nb: [1, {c: [2]}]\n")).toBe(3);
    expect(estimateYamlNesting("- - - x\n")).toBe(3);
    expect(estimateYamlNesting("a:\n  b:\n    - c\n")).toBe(1);
  });

  test("ordinary configurations are far below the limit", () => {
    const text = "environments:\n  - { name: dev, paths: [\"envs/dev/**\"], settings: { rollback: { lookback: 7d } } }\n";
    expect(estimateYamlNesting(text)).toBeLessThan(10);
  });
});
