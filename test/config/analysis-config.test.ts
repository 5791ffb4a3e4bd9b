/** `analyses:` and `settings.analysis.server`: defaults, shape errors and semantic diagnostics at their lines. */
import { loadConfig } from "../../src/config/load-config.js";

const load = (text: string, prometheusServers?: string[]) =>
  loadConfig({ layers: [{ source: "repo", file: ".github/fleetward.yml", text }], ...(prometheusServers ? { prometheusServers } : {}) });

const FLEET = `environments:
  - name: staging
    paths: ["envs/staging/**"]
  - name: prod
    paths: ["envs/prod/**"]
    promotedFrom: staging
    settings:
      analysis: { server: prod-eu }
clusters:
  - name: prod-eu-1
    environment: prod
    labels: { wave: "1" }
  - name: prod-us-1
    environment: prod
    labels: { wave: "2" }
    settings:
      analysis: { server: prod-us }
promotion:
  waves:
    prod:
      - { name: canary, clusters: [prod-eu-1], bake: 10m }
      - { name: rest, clusters: [prod-us-1] }
`;

test("a file without analyses loads as before: no analyses key, no settings.analysis", () => {
  const r = load(FLEET.replace(/ {4}settings:\n {6}analysis: \{ server: prod-eu \}\n/, "").replace(/ {4}settings:\n {6}analysis: \{ server: prod-us \}\n/, ""));
  expect(r.diagnostics).toEqual([]);
  expect(r.config?.analyses).toBeUndefined();
  expect(r.config?.settings.analysis).toBeUndefined();
});

test("an analysis gets Argo-style defaults", () => {
  const r = load(`${FLEET}analyses:
  - name: error-ratio
    scopes: [prod/canary]
    query: sum(rate(errors_total{cluster=~"{{cluster}}"}[1m]))
    threshold: "< 0.01"
`, ["prod-eu", "prod-us"]);
  expect(r.diagnostics).toEqual([]);
  expect(r.config?.analyses?.[0]).toEqual({
    name: "error-ratio",
    scopes: ["prod/canary"],
    query: 'sum(rate(errors_total{cluster=~"{{cluster}}"}[1m]))',
    threshold: "< 0.01",
    interval: "1m",
    count: 5,
    failureLimit: 0,
    inconclusiveLimit: 0,
    onError: "fail",
    onFailure: "halt",
    errorTimeout: "2m",
  });
});

test.each([
  ["both query and slo", "    query: up\n    threshold: '< 1'\n    slo: { objective: 99.9, errorQuery: a, totalQuery: b }\n", "exactly one of `query` and `slo`", 24],
  ["a query without a condition", "    query: up\n", "exactly one of `threshold` and `range`", 24],
  ["a threshold that is not a comparison", "    query: up\n    threshold: 'about 1'\n", "thresholds are a comparison and a number", 27],
  ["an empty range", "    query: up\n    range: {}\n", "a range needs `min`, `max` or both", 27],
  ["an slo with a threshold", "    slo: { objective: 99.9, errorQuery: a, totalQuery: b }\n    threshold: '< 1'\n", "takes no `threshold`", 24],
])("%s is a config_schema error at its line", (_, body, message, line) => {
  const r = load(`${FLEET}analyses:\n  - name: a\n    scopes: [prod]\n${body}`);
  expect(r.config).toBeUndefined();
  expect(r.diagnostics).toEqual([expect.objectContaining({ code: "config_schema", line, message: expect.stringContaining(message) })]);
});

test("scopes name an environment or one of its waves; names are unique", () => {
  const r = load(`${FLEET}analyses:
  - name: a
    scopes: [prdo, prod/canery, prod]
    query: up
    threshold: "> 0"
  - name: a
    scopes: [staging]
    query: up
    threshold: "> 0"
`);
  expect(r.diagnostics).toEqual([
    expect.objectContaining({ code: "config_unknown_environment", line: 25, message: expect.stringContaining('"prdo" names no environment (did you mean "prod"?)') }),
    expect.objectContaining({ code: "config_unknown_environment", line: 25, message: expect.stringContaining('"prod/canery" names no wave of "prod"') }),
    expect.objectContaining({ code: "config_duplicate_name", line: 28, message: expect.stringContaining('duplicate analysis name "a"') }),
  ]);
});

test("an unknown server name is a config_unknown_analysis_server warning at its line; the config still loads", () => {
  const r = load(`${FLEET}analyses:
  - name: a
    scopes: [prod/canary]
    server: prod-ue
    query: up
    threshold: "> 0"
`, ["prod-eu", "prod-us"]);
  expect(r.config).toBeDefined();
  expect(r.diagnostics).toEqual([
    expect.objectContaining({ code: "config_unknown_analysis_server", severity: "warning", line: 26, message: expect.stringContaining('unknown Prometheus server "prod-ue" (did you mean "prod-us"?); the app defines "prod-eu", "prod-us"') }),
  ]);
});

test("servers come from settings per environment and cluster; an unknown or missing one is reported", () => {
  const text = `${FLEET}analyses:
  - name: a
    scopes: [prod, staging]
    query: up
    threshold: "> 0"
`;
  expect(load(text, ["prod-eu"]).diagnostics.map((d) => [d.code, d.line, d.message])).toEqual([
    ["config_unknown_analysis_server", 24, expect.stringContaining('unknown Prometheus server "prod-us"')],
    ["config_unknown_analysis_server", 24, expect.stringContaining("no Prometheus server: set `server` here or `settings.analysis.server`")],
  ]);
  // Without the app's list (the CLI), servers are not checked.
  expect(load(text).diagnostics).toEqual([]);
});
