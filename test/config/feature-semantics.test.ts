/**
 * The promotion and rollback sections are checked by loadConfig like the rest: their semantic problems come
 * back as positioned diagnostics of the layer that set them.
 */
import { loadConfig } from "../../src/config/load-config.js";

const load = (text: string) => loadConfig({ layers: [{ source: "repo", file: ".github/fleetward.yml", text }] });

const FLEET = `environments:
  - name: dev
    paths: ["envs/dev/**"]
  - name: prod
    paths: ["envs/prod/**"]
    promotedFrom: dev
clusters:
  - name: prod-eu-1
    environment: prod
`;

test("a rollback rule naming an unknown cluster is a positioned warning; the config still loads", () => {
  const r = load(`${FLEET}rollback:
  rules:
    - cluster:
        label: cluster
        fallback: prod-eu-9
`);
  expect(r.config).toBeDefined();
  expect(r.diagnostics).toEqual([
    expect.objectContaining({ code: "config_unknown_cluster", severity: "warning", line: 14, message: expect.stringContaining('unknown cluster "prod-eu-9"') }),
  ]);
});

test("a rollback value map naming an unknown environment is a warning", () => {
  const r = load(`${FLEET}rollback:
  rules:
    - environment:
        label: env
        map:
          production: prd
`);
  expect(r.diagnostics.map((d) => [d.code, d.severity, d.line])).toEqual([["config_unknown_environment", "warning", 15]]);
});
