/**
 * isPolicyPath compiles its globs once (it runs on every path of a checkout): it answers as matching each glob with
 * `minimatch(path, glob)` did, on the configured Conftest data and Gatekeeper globs, their folders, `.rego` files under
 * them and the bundles.
 */
import { minimatch } from "minimatch";
import { loadConfig } from "../../../src/config/load-config.js";
import { GLOB_OPTIONS } from "../../../src/fleet/check-glob.js";
import { isPolicyPath } from "../../../src/policy/check/collect-policy-sources.js";

const CONFIG = `policies:
  conftest:
    dir: policy
    data: ["data/**/*.json", "shared/*.yaml", "{a,b}/x.json"]
  gatekeeper:
    paths: ["gatekeeper/**/*.yaml", "templates/*.yml", ".hidden/**"]
  bundles:
    - path: bundles/b.tar.gz
      entrypoints: [{ entrypoint: main/deny, style: conftest }]
`;

test("the same answers as minimatch per call, on matching and non-matching paths", () => {
  const loaded = loadConfig({ layers: [{ source: "repo", file: ".github/fleetward.yml", text: CONFIG }] });
  const config = loaded.config;
  if (config === undefined) throw new Error(`the test configuration does not load: ${JSON.stringify(loaded.diagnostics)}`);
  const policy = isPolicyPath(config.policies);
  const globs = [...config.policies.conftest.data, ...config.policies.gatekeeper.paths];
  const paths = [
    "policy", "policy/a.rego", "policyx/a.rego", "data/x.json", "data/a/b/c.json", "data/a.yaml", "shared/s.yaml", "shared/d/s.yaml",
    "a/x.json", "b/x.json", "c/x.json", "gatekeeper/t.yaml", "gatekeeper/a/b/t.yaml", "gatekeeper/lib.rego", "gatekeeper/a/test.rego",
    "templates/t.yml", "templates/d/t.yml", "templates/r.rego", ".hidden/x", ".hidden/.y/z", "bundles/b.tar.gz", "bundles/c.tar.gz",
    "envs/dev/app.yaml", "README.md", "",
  ];
  const reference = (p: string): boolean =>
    p === "policy" || p === "bundles/b.tar.gz" || p.startsWith("policy/") || globs.some((g) => minimatch(p, g, GLOB_OPTIONS)) ||
    (p.endsWith(".rego") && ["gatekeeper/", "templates/", ".hidden/"].some((r) => p.startsWith(r)));
  expect(paths.map((p) => [p, policy(p)])).toEqual(paths.map((p) => [p, reference(p)]));
  expect(paths.filter(policy).length).toBeGreaterThan(12);
});
