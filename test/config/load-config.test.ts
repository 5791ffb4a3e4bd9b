import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { ConfigDiagnostic } from "../../src/config/config-diagnostic.js";
import { formatConfigDiagnostic } from "../../src/config/config-diagnostic.js";
import { loadConfig } from "../../src/config/load-config.js";
import type { ConfigLayer } from "../../src/config/parse-config-layer.js";

const fixture = (name: string) => readFileSync(join(process.cwd(), "test", "fixtures", "config", name), "utf8");
const repo = (text: string): ConfigLayer => ({ source: "repo", file: ".github/fleetward.yml", text });
const org = (text: string): ConfigLayer => ({ source: "org", file: "acme/.github:.github/fleetward.yml", text });
const ext = (text: string): ConfigLayer => ({ source: "extends", file: "acme/shared:.github/fleetward.yml", text });
const lines = (...l: string[]) => `${l.join("\n")}\n`;

/** The parts of a diagnostic a test pins down. */
const where = (d: ConfigDiagnostic) => ({
  code: d.code,
  severity: d.severity,
  file: d.file,
  line: d.line,
  column: d.column,
  endLine: d.endLine,
  endColumn: d.endColumn,
});

/** Loads one repository file of the given lines. */
const loadRepo = (...l: string[]) => loadConfig({ layers: [repo(lines(...l))] });

function only(text: string | ConfigLayer[]): ConfigDiagnostic {
  const result = loadConfig({ layers: typeof text === "string" ? [repo(text)] : text });
  expect(result.diagnostics).toHaveLength(1);
  return result.diagnostics[0] as ConfigDiagnostic;
}

/** A file that gives exactly one diagnostic: where it is, and its message (exactly, or matching every pattern). */
interface OneDiagnosticCase {
  name: string;
  text: string;
  at: Partial<ReturnType<typeof where>>;
  message?: string | RegExp | RegExp[];
}

function testOneDiagnostic(cases: OneDiagnosticCase[]): void {
  test.each(cases)("$name", ({ text, at, message }) => {
    const d = only(text);
    expect(where(d)).toMatchObject(at);
    if (typeof message === "string") expect(d.message).toBe(message);
    else if (message instanceof RegExp) expect(d.message).toMatch(message);
    else for (const pattern of message ?? []) expect(d.message).toMatch(pattern);
  });
}

describe("defaults", () => {
  test("no layers at all gives the built-in defaults", () => {
    const { config, diagnostics } = loadConfig({ layers: [] });
    expect(diagnostics).toEqual([]);
    expect(config).toEqual({
      environments: [],
      clusters: [],
      components: { depth: 1 },
      manifests: { include: ["**/*.yaml", "**/*.yml"], exclude: [".github/**"] },
      policies: {
        conftest: { dir: "policy", namespaces: ["main"], allNamespaces: false, data: [] },
        gatekeeper: { paths: ["policies/**/*.yaml", "policies/**/*.yml"], inventory: { maxFiles: 2000 } },
        library: {},
        bundles: [],
      },
      render: { kustomize: "auto", roots: [], maxResources: 5000 },
      settings: {
        policy: { enforcement: "deny", timeout: "30s" },
        promotion: { mode: "manual", soakTime: "0s" },
        rollback: { autoMerge: false, lookback: "7d" },
      },
    });
  });

  test("an empty or comment-only file is the defaults", () => {
    for (const text of ["", "# nothing yet\n", "---\n"]) {
      const { config, diagnostics } = loadConfig({ layers: [repo(text)] });
      expect(diagnostics).toEqual([]);
      expect(config?.settings.rollback.autoMerge).toBe(false);
      expect(config?.environments).toEqual([]);
    }
  });

  test("environment and cluster fields get their defaults", () => {
    const { config } = loadConfig({ layers: [repo(fixture("minimal.yml"))] });
    expect(config?.environments).toEqual([{ name: "dev", paths: ["envs/dev/**"], promotedFrom: null, settings: {} }]);
    const withCluster = loadRepo("environments: [{ name: dev, paths: [d/**] }]", "clusters: [{ name: c1, environment: dev }]");
    expect(withCluster.config?.clusters).toEqual([{ name: "c1", environment: "dev", labels: {}, paths: [], settings: {} }]);
  });

  test("the full fixture loads without diagnostics", () => {
    const { config, diagnostics } = loadConfig({ layers: [repo(fixture("full.yml"))] });
    expect(diagnostics).toEqual([]);
    expect(config?.environments.map((e) => [e.name, e.promotedFrom])).toEqual([
      ["dev", null],
      ["staging", "dev"],
      ["prod", "staging"],
    ]);
    expect(config?.clusters.map((c) => c.labels)).toEqual([
      { region: "eu", wave: "1" },
      { region: "us", wave: "2", tier: "gold" },
    ]);
    expect(config?.settings).toEqual({
      policy: { enforcement: "deny", timeout: "30s" },
      promotion: { mode: "auto", soakTime: "30m" },
      rollback: { autoMerge: true, lookback: "3d" },
    });
  });
});

describe("layers", () => {
  test("org < extends < repo, key by key", () => {
    const { config, diagnostics } = loadConfig({
      layers: [
        org(lines("settings:", "  policy: { enforcement: warn }", "  promotion: { soakTime: 2h, mode: auto }", "  rollback: { lookback: 14d }")),
        ext(lines("settings:", "  promotion: { soakTime: 1h }", "  rollback: { autoMerge: true }")),
        repo(lines("settings:", "  rollback: { lookback: 1d }")),
      ],
    });
    expect(diagnostics).toEqual([]);
    expect(config?.settings).toEqual({
      policy: { enforcement: "warn", timeout: "30s" },
      promotion: { mode: "auto", soakTime: "1h" },
      rollback: { autoMerge: true, lookback: "1d" },
    });
  });

  test("arrays replace instead of merging", () => {
    const { config } = loadConfig({
      layers: [
        org(lines("environments: [{ name: a, paths: [a/**] }, { name: b, paths: [b/**] }]", "manifests: { exclude: [x/**, y/**] }")),
        repo(lines("environments: [{ name: c, paths: [c/**] }]", "manifests: { exclude: [z/**] }")),
      ],
    });
    expect(config?.environments.map((e) => e.name)).toEqual(["c"]);
    expect(config?.manifests).toEqual({ include: ["**/*.yaml", "**/*.yml"], exclude: ["z/**"] });
  });

  test("an explicit null resets a value to the built-in default, not to the lower layer", () => {
    const { config, diagnostics } = loadConfig({
      layers: [
        org(lines("settings:", "  rollback: { lookback: 14d, autoMerge: true }", "manifests: { exclude: [x/**] }")),
        repo(lines("settings:", "  rollback: { lookback: null }", "manifests: null")),
      ],
    });
    expect(diagnostics).toEqual([]);
    expect(config?.settings.rollback).toEqual({ lookback: "7d", autoMerge: true });
    expect(config?.manifests.exclude).toEqual([".github/**"]);
  });

  test("an unknown key is reported even when its value is empty", () => {
    const result = loadRepo("enviroments:", "settings:", "  rollbak: null");
    expect(result.diagnostics.map((x) => [x.message, x.line, x.column])).toEqual([
      ['settings.rollbak: unknown key "rollbak"', 3, 3],
      ['enviroments: unknown key "enviroments"', 1, 1],
    ]);
  });

  test("null on a required field is reported as missing", () => {
    const d = only(lines("environments:", "  - name: null", "    paths: [d/**]"));
    expect(d.message).toBe("environments[0].name: required string is missing");
    expect(where(d)).toMatchObject({ code: "config_schema", line: 2, column: 11, endLine: 2, endColumn: 15 });
  });

  test("a lower layer alone still applies when the repo file is silent", () => {
    const { config } = loadConfig({ layers: [org(fixture("org-defaults.yml")), repo(fixture("minimal.yml"))] });
    expect(config?.settings).toEqual({
      policy: { enforcement: "warn", timeout: "30s" },
      promotion: { mode: "manual", soakTime: "2h" },
      rollback: { autoMerge: false, lookback: "14d" },
    });
    expect(config?.environments.map((e) => e.name)).toEqual(["dev"]);
  });

  test("_extends is accepted in every layer and dropped from the result", () => {
    const { config, diagnostics } = loadConfig({
      layers: [ext(fixture("shared-fleet.yml")), repo(fixture("extends-repo.yml"))],
    });
    expect(diagnostics).toEqual([]);
    expect(config && "_extends" in config).toBe(false);
    expect(config?.environments.map((e) => e.name)).toEqual(["dev", "prod"]);
    expect(config?.settings.rollback.autoMerge).toBe(true);
    expect(config?.settings.promotion.mode).toBe("auto");
  });
});

describe("YAML errors", () => {
  test("syntax errors carry positions and no config", () => {
    const result = loadRepo("environments:", "  - name: dev", '    paths: ["envs/dev/**"', "clusters: []");
    expect(result.config).toBeUndefined();
    expect(result.diagnostics.length).toBeGreaterThanOrEqual(1);
    expect(result.diagnostics.every((d) => d.code === "config_yaml_syntax" && d.file === ".github/fleetward.yml")).toBe(true);
    expect(result.diagnostics[0]?.line).toBe(4);
  });

  testOneDiagnostic([
    {
      name: "a tab-indented key is a syntax error at its line",
      text: lines("settings:", "\trollback: {}"),
      at: { code: "config_yaml_syntax", line: 2, column: 1 },
    },
    {
      name: "duplicate keys are errors at the second key",
      text: lines("settings:", "  rollback: { autoMerge: true }", "  rollback: { autoMerge: false }"),
      at: { code: "config_yaml_duplicate_key", severity: "error", file: ".github/fleetward.yml", line: 3, column: 3, endLine: 3, endColumn: 11 },
      message: `duplicate key "rollback" (first defined on line 2)`,
    },
    {
      name: "an unresolved alias is a syntax error at the alias",
      text: lines("settings:", "  rollback: *missing"),
      at: { code: "config_yaml_syntax", line: 2, column: 13, endLine: 2, endColumn: 21 },
      message: "unresolved alias *missing",
    },
    {
      name: "two documents in one file are refused",
      text: lines("settings: {}", "---", "settings: {}"),
      at: { code: "config_yaml_syntax", line: 2, column: 1 },
      message: /one YAML document/,
    },
    {
      // x-paths is an unknown key: the diagnostic points at that key, after the alias was resolved fine.
      name: "aliases inside the limit work and positions follow them",
      text: lines("x-paths: &devpaths [envs/dev/**]", "environments:", "  - { name: dev, paths: *devpaths }"),
      at: { code: "config_unknown_key", line: 1, column: 1, endLine: 1, endColumn: 8 },
    },
  ]);

  test("an unknown tag is a warning and the value is used as written", () => {
    const result = loadRepo("settings:", "  rollback: { lookback: !days 3d }");
    expect(result.diagnostics.map(where)).toEqual([
      { code: "config_yaml_syntax", severity: "warning", file: ".github/fleetward.yml", line: 2, column: 25, endLine: 2, endColumn: 30 },
    ]);
    expect(result.config?.settings.rollback.lookback).toBe("3d");
  });

  test("errors in several layers are all reported, each in its file", () => {
    const result = loadConfig({ layers: [org("a: [\n"), repo("b: {x: 1, x: 2}\n")] });
    expect(result.config).toBeUndefined();
    expect(new Set(result.diagnostics.map((d) => d.file))).toEqual(new Set(["acme/.github:.github/fleetward.yml", ".github/fleetward.yml"]));
    expect(result.diagnostics.map((d) => d.code)).toContain("config_yaml_duplicate_key");
  });

  test("an alias refers to the last anchor of that name before it", () => {
    const { config, diagnostics } = loadRepo(
      "settings:",
      "  rollback: { lookback: &l 1d }",
      "  promotion: { soakTime: &l 2h }",
      "environments:",
      "  - { name: dev, paths: [d/**], settings: { rollback: { lookback: *l } } }",
    );
    expect(diagnostics).toEqual([]);
    expect(config?.environments[0]?.settings.rollback?.lookback).toBe("2h");
  });

  test("a problem reached through an alias points at the anchored node", () => {
    const result = loadRepo(
      "settings:",
      "  rollback: &r { lookback: soon }",
      "environments:",
      "  - { name: dev, paths: [d/**], settings: { rollback: *r } }",
    );
    expect(result.diagnostics.map((d) => [d.code, d.message.split(":")[0], d.line, d.column, d.endColumn])).toEqual([
      ["config_invalid_duration", "environments[0].settings.rollback.lookback", 2, 28, 32],
      ["config_invalid_duration", "settings.rollback.lookback", 2, 28, 32],
    ]);
  });
});

describe("schema diagnostics", () => {
  testOneDiagnostic([
    {
      name: "a top-level list is refused",
      text: lines("- name: dev"),
      at: { code: "config_schema", line: 1, column: 1 },
      message: /must be a mapping/,
    },
    { name: "a top-level scalar is refused", text: "just text\n", at: { code: "config_schema", line: 1, column: 1 }, message: /not a string/ },
    {
      name: "wrong types point at the value",
      text: lines("settings:", "  rollback:", "    autoMerge: yes please"),
      at: { code: "config_schema", severity: "error", file: ".github/fleetward.yml", line: 3, column: 16, endLine: 3, endColumn: 26 },
      message: [/^settings\.rollback\.autoMerge: /, /boolean/],
    },
    {
      name: "a bad enum value names the choices",
      text: lines("settings:", "  policy: { enforcement: block }"),
      at: { code: "config_schema", line: 2, column: 26, endLine: 2, endColumn: 31 },
      message: /settings\.policy\.enforcement: .*"deny".*"warn".*"dryrun"/,
    },
    {
      name: "a missing required field points at the enclosing item",
      text: lines("environments:", "  - name: dev", "    paths: [d/**]", "  - paths: [x/**]"),
      at: { code: "config_schema", line: 4, column: 5 },
      message: "environments[1].name: required string is missing",
    },
    {
      name: "an environment without paths is refused",
      text: lines("environments:", "  - name: dev", "    paths: []"),
      at: { code: "config_schema", line: 3, column: 12, endLine: 3, endColumn: 14 },
      message: /at least one path glob/,
    },
    { name: "components.depth is bounded", text: lines("components:", "  depth: 0"), at: { code: "config_schema", line: 2, column: 10 } },
    {
      name: "bad durations get their own code and a clear message",
      text: lines("settings:", "  rollback:", "    lookback: 7 days"),
      at: { code: "config_invalid_duration", line: 3, column: 15, endLine: 3, endColumn: 21 },
      message:
        'settings.rollback.lookback: invalid duration "7 days": expected a number followed by a unit (s, m, h, d or w), e.g. "30m", "2h", "7d" or "1h30m"',
    },
  ]);

  test("bad names and label syntax are schema errors at the offending node", () => {
    const result = loadRepo(
      "environments: [{ name: Dev_1, paths: [d/**] }]",
      "clusters:",
      "  - name: c1",
      "    environment: dev",
      "    labels: { wave: 1, \"bad key!\": x }",
    );
    expect(result.diagnostics.map(where)).toEqual([
      { code: "config_schema", severity: "error", file: ".github/fleetward.yml", line: 1, column: 24, endLine: 1, endColumn: 29 },
      { code: "config_schema", severity: "error", file: ".github/fleetward.yml", line: 5, column: 21, endLine: 5, endColumn: 22 },
      { code: "config_schema", severity: "error", file: ".github/fleetward.yml", line: 5, column: 24, endLine: 5, endColumn: 34 },
    ]);
    expect(result.diagnostics[1]?.message).toMatch(/quote numbers/);
    expect(result.diagnostics[2]?.message).toMatch(/invalid key: label keys follow Kubernetes label syntax/);
  });

  test("unknown keys are reported at the key, at any depth", () => {
    const result = loadRepo(
      "enviroments: []",
      "settings:",
      "  rollback:",
      "    autoMerg: true",
      "environments:",
      "  - { name: dev, paths: [d/**], promoted_from: x }",
    );
    expect(result.diagnostics.map((d) => [d.code, d.message, d.line, d.column, d.endColumn])).toEqual([
      ["config_unknown_key", 'environments[0].promoted_from: unknown key "promoted_from"', 6, 33, 46],
      ["config_unknown_key", 'settings.rollback.autoMerg: unknown key "autoMerg"', 4, 5, 13],
      ["config_unknown_key", '(root): unknown key "enviroments"'.replace("(root)", "enviroments"), 1, 1, 12],
    ]);
  });

  test("durations in environment and cluster overrides are checked too", () => {
    const result = loadRepo(
      "environments:",
      "  - name: dev",
      "    paths: [d/**]",
      "    settings: { promotion: { soakTime: 5y } }",
      "clusters:",
      "  - { name: c, environment: dev, settings: { rollback: { lookback: 99999999d } } }",
    );
    expect(result.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([
      ["config_invalid_duration", 4, 40],
      ["config_invalid_duration", 6, 68],
    ]);
    expect(result.diagnostics[1]?.message).toMatch(/longer than the maximum/);
  });

  test("invalid globs get their own code", () => {
    const result = loadRepo(
      "environments:",
      "  - name: dev",
      '    paths: ["/envs/dev/**", "envs/../x", "envs/[dev/**", "", "!envs/x", "envs/dev/"]',
      "manifests:",
      '  include: ["**/*.yaml", "a\\\\b"]',
    );
    expect(result.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([
      ["config_invalid_glob", 3, 13],
      ["config_invalid_glob", 3, 29],
      ["config_invalid_glob", 3, 42],
      ["config_invalid_glob", 3, 58],
      ["config_invalid_glob", 3, 62],
      ["config_invalid_glob", 3, 73],
      ["config_invalid_glob", 5, 26],
    ]);
    expect(result.diagnostics.map((d) => d.message.replace(/^[^:]+: /, ""))).toEqual([
      'glob "/envs/dev/**" is absolute; use a path relative to the repository root',
      'glob "envs/../x" contains a "." or ".." segment; paths are relative to the repository root',
      'glob "envs/[dev/**" is malformed: unbalanced "[" and "]"',
      "glob is empty",
      'glob "!envs/x" is negated; negation is not supported here (use manifests.exclude)',
      'glob "envs/dev/" ends with "/"; use "envs/dev/**" to match a folder',
      'glob "a\\\\b" contains a backslash; use forward slashes',
    ]);
  });
});

describe("semantic diagnostics", () => {
  test("the invalid fixture reports every problem at its node", () => {
    const result = loadConfig({ layers: [repo(fixture("invalid-semantics.yml"))] });
    expect(result.config).toBeUndefined();
    expect(result.diagnostics.map((d) => [d.code, d.message, d.line, d.column, d.endLine, d.endColumn])).toEqual([
      ["config_duplicate_name", 'environments[2].name: duplicate environment name "dev" (first defined at environments[0])', 7, 11, 7, 14],
      ["config_unknown_environment", 'clusters[0].environment: unknown environment "prd"', 11, 18, 11, 21],
      ["config_unknown_environment", 'environments[1].promotedFrom: unknown environment "stagin" (did you mean "staging"?)', 6, 19, 6, 25],
    ]);
  });

  testOneDiagnostic([
    {
      name: "duplicate cluster names",
      text: lines("environments: [{ name: dev, paths: [d/**] }]", "clusters:", "  - { name: c1, environment: dev }", "  - { name: c1, environment: dev }"),
      at: { code: "config_duplicate_name", line: 4, column: 13, endColumn: 15 },
      message: 'clusters[1].name: duplicate cluster name "c1" (first defined at clusters[0])',
    },
    {
      name: "a self-promotion is a cycle",
      text: lines("environments:", "  - { name: dev, paths: [d/**], promotedFrom: dev }"),
      at: { code: "config_promotion_cycle", line: 2, column: 47, endColumn: 50 },
      message: "environments[0].promotedFrom: promotion cycle dev → dev",
    },
    {
      name: "a cluster whose glob covers another environment's folder",
      text: lines(
        "environments: [{ name: staging, paths: [envs/staging/**] }, { name: prod, paths: [envs/prod/**] }]",
        "clusters: [{ name: wide, environment: prod, paths: [envs/**] }]",
      ),
      at: { code: "config_cluster_path_conflict", line: 2 },
    },
  ]);

  test("a longer cycle is reported once, at its first environment, in promotion order", () => {
    const result = loadRepo(
      "environments:",
      "  - { name: base, paths: [b/**] }",
      "  - { name: dev, paths: [d/**], promotedFrom: prod }",
      "  - { name: staging, paths: [s/**], promotedFrom: dev }",
      "  - { name: prod, paths: [p/**], promotedFrom: staging }",
    );
    const cycles = result.diagnostics.filter((d) => d.code === "config_promotion_cycle");
    expect(cycles.map((d) => [d.message, d.line, d.column])).toEqual([
      ["environments[1].promotedFrom: promotion cycle dev → staging → prod → dev", 3, 47],
    ]);
    expect(result.config).toBeUndefined();
  });

  test("promotion from a later environment is a warning and the config still loads", () => {
    const result = loadRepo("environments:", "  - { name: prod, paths: [p/**], promotedFrom: dev }", "  - { name: dev, paths: [d/**] }");
    expect(result.diagnostics.map(where)).toEqual([
      { code: "config_promotion_order", severity: "warning", file: ".github/fleetward.yml", line: 2, column: 48, endLine: 2, endColumn: 51 },
    ]);
    expect(result.config?.environments[0]?.promotedFrom).toBe("dev");
  });

  test("a cluster reaching into another environment's folder", () => {
    const result = loadRepo(
      "environments:",
      "  - { name: staging, paths: [envs/staging/**] }",
      "  - { name: prod, paths: [envs/prod/**] }",
      "clusters:",
      "  - name: prod-eu-1",
      "    environment: prod",
      "    paths: [envs/prod/eu-1/**, envs/staging/eu-1/**]",
    );
    expect(result.diagnostics.map((d) => [d.code, d.message, d.line, d.column, d.endColumn])).toEqual([
      [
        "config_cluster_path_conflict",
        'clusters[0].paths[1]: cluster "prod-eu-1" belongs to environment "prod" but "envs/staging/eu-1/**" overlaps "envs/staging/**" of environment "staging"',
        7,
        32,
        52,
      ],
    ]);
  });

  test("clusters outside environment folders are fine", () => {
    const { config, diagnostics } = loadConfig({ layers: [repo(fixture("full.yml"))] });
    expect(diagnostics).toEqual([]);
    expect(config?.clusters.map((c) => c.paths)).toEqual([["clusters/prod-eu-1/**"], ["clusters/prod-us-1/**"]]);
  });

  test("overlapping environments are a warning", () => {
    const result = loadRepo("environments:", "  - { name: all, paths: [envs/**] }", "  - { name: dev, paths: [envs/dev/*.yaml] }");
    expect(result.diagnostics.map(where)).toEqual([
      { code: "config_environment_overlap", severity: "warning", file: ".github/fleetward.yml", line: 3, column: 26, endLine: 3, endColumn: 41 },
    ]);
    expect(result.config).toBeDefined();
  });
});

describe("attribution to layers", () => {
  test("a value set only by the org layer is reported in the org file", () => {
    const result = loadConfig({
      layers: [org(lines("settings:", "  rollback:", "    lookback: soon")), repo(lines("settings:", "  rollback:", "    autoMerge: true"))],
    });
    expect(result.diagnostics.map(where)).toEqual([
      { code: "config_invalid_duration", severity: "error", file: "acme/.github:.github/fleetward.yml", line: 3, column: 15, endLine: 3, endColumn: 19 },
    ]);
  });

  test("the highest layer defining the path wins", () => {
    const result = loadConfig({
      layers: [org(lines("settings:", "  rollback: { lookback: soon }")), ext(lines("settings:", "  rollback:", "    lookback: later"))],
    });
    expect(result.diagnostics.map(where)).toEqual([
      { code: "config_invalid_duration", severity: "error", file: "acme/shared:.github/fleetward.yml", line: 3, column: 15, endLine: 3, endColumn: 20 },
    ]);
  });

  test("inside an array, only the layer that set the array is blamed", () => {
    // The repo's environments replace the org's; the org's element 1 has a promotedFrom at the same path
    // but is not part of the result, so the error must point into the repo file.
    const result = loadConfig({
      layers: [
        org(lines("environments:", "  - { name: a, paths: [a/**] }", "  - { name: b, paths: [b/**], promotedFrom: a }")),
        repo(lines("environments:", "  - { name: x, paths: [x/**] }", "  - name: y", "    paths: [y/**]", "    promotedFrom: z")),
      ],
    });
    expect(result.diagnostics.map(where)).toEqual([
      { code: "config_unknown_environment", severity: "error", file: ".github/fleetward.yml", line: 5, column: 19, endLine: 5, endColumn: 20 },
    ]);
  });

  test("environments inherited from the org are blamed in the org file", () => {
    const result = loadConfig({
      layers: [org(lines("environments:", "  - { name: a, paths: [a/**], promotedFrom: q }")), repo(lines("settings: {}"))],
    });
    expect(result.diagnostics.map((d) => [d.file, d.line, d.column])).toEqual([["acme/.github:.github/fleetward.yml", 2, 45]]);
  });

  test("formatConfigDiagnostic gives file:line:col", () => {
    const d = only(lines("settings:", "  rollback: { lookback: x }"));
    expect(formatConfigDiagnostic(d)).toBe(
      `.github/fleetward.yml:2:25: error config_invalid_duration: ${d.message}`,
    );
  });
});

describe("render section", () => {
  test("older configurations without render: get the defaults; a bad value is a diagnostic at its line", () => {
    const { config } = loadConfig({ layers: [{ source: "repo", file: ".github/fleetward.yml", text: "render:\n  roots: [envs/prod-eu-1]\n" }] });
    expect(config?.render).toEqual({ kustomize: "auto", roots: ["envs/prod-eu-1"], maxResources: 5000 });
    const bad = loadConfig({ layers: [{ source: "repo", file: ".github/fleetward.yml", text: "render:\n  kustomize: sometimes\n  roots: [envs/*]\n" }] });
    expect(bad.config).toBeUndefined();
    expect(bad.diagnostics.map((d) => [d.line, d.code])).toEqual([
      [2, "config_schema"],
      [3, "config_schema"],
    ]);
  });
});
