import { readFileSync } from "node:fs";
import { join } from "node:path";
import { buildFleet } from "../../src/fleet/build-fleet.js";
import { classifyPath, componentBelowRoot, normalizeRepoPath } from "../../src/fleet/classify-path.js";
import { configOf } from "./config-of.js";

const full = buildFleet(configOf(readFileSync(join(process.cwd(), "test", "fixtures", "config", "full.yml"), "utf8")));

describe("classifyPath on the full fixture", () => {
  test.each([
    // path, environments, clusters, component, manifest
    ["envs/dev/payments/deploy.yaml", ["dev"], [], "payments", true],
    ["envs/dev/payments/base/kustomization.yaml", ["dev"], [], "payments", true],
    ["envs/staging/checkout/svc.yml", ["staging"], [], "checkout", true],
    ["envs/prod/payments/README.md", ["prod"], [], "payments", false],
    ["envs/dev/kustomization.yaml", ["dev"], [], null, true],
    ["envs/dev/.sops.yaml", ["dev"], [], null, true],
    ["envs/dev/payments/.env", ["dev"], [], "payments", false],
    ["envs/dev/.hidden/x.yaml", ["dev"], [], ".hidden", true],
    ["clusters/prod-eu-1/payments/hpa.yaml", ["prod"], ["prod-eu-1"], "payments", true],
    ["clusters/prod-eu-1/cluster.yaml", ["prod"], ["prod-eu-1"], null, true],
    ["clusters/prod-us-1/ingress/x.yaml", ["prod"], ["prod-us-1"], "ingress", true],
    ["clusters/prod-ap-1/x/y.yaml", [], [], null, true],
    ["README.md", [], [], null, false],
    [".github/workflows/ci.yml", [], [], null, false],
    ["envs/develop/payments/x.yaml", [], [], null, true],
    ["envs/dev", [], [], null, false],
    ["envs/prod/payments/kustomizeconfig/x.yaml", ["prod"], [], "payments", false],
  ])("%s", (path, environments, clusters, component, manifest) => {
    expect(classifyPath(full, path)).toEqual({ environments, clusters, component, manifest });
  });

  test("leading ./ and / are ignored", () => {
    expect(classifyPath(full, "./envs/dev/payments/deploy.yaml")).toEqual(classifyPath(full, "envs/dev/payments/deploy.yaml"));
    expect(classifyPath(full, "/envs/dev/payments/deploy.yaml").environments).toEqual(["dev"]);
  });
});

describe("overlaps and nesting", () => {
  const fleet = buildFleet(
    configOf(
      [
        "environments:",
        "  - { name: dev, paths: [envs/dev/**, legacy/dev-*.yaml] }",
        "  - { name: prod, paths: [envs/prod/**] }",
        "  - { name: shared, paths: [envs/**/shared/**] }",
        "clusters:",
        "  - { name: eu-1, environment: prod, paths: [envs/prod/clusters/eu-1/**] }",
        "  - { name: eu-1-canary, environment: prod, paths: [envs/prod/clusters/eu-1/canary/**] }",
        "  - { name: edge, environment: prod, paths: [edge/**/*.yaml] }",
        "  - { name: unpathed, environment: prod }",
      ].join("\n"),
    ),
  );

  test("a cluster folder inside its environment folder: cluster root decides the component", () => {
    expect(classifyPath(fleet, "envs/prod/clusters/eu-1/payments/x.yaml")).toEqual({
      environments: ["prod"],
      clusters: ["eu-1"],
      component: "payments",
      manifest: true,
    });
  });

  test("nested cluster globs: the file belongs to both, the longest root names the component", () => {
    expect(classifyPath(fleet, "envs/prod/clusters/eu-1/canary/payments/x.yaml")).toEqual({
      environments: ["prod"],
      clusters: ["eu-1", "eu-1-canary"],
      component: "payments",
      manifest: true,
    });
  });

  test("overlapping environment globs: the file is in both, in configuration order", () => {
    expect(classifyPath(fleet, "envs/dev/shared/configmap.yaml")).toEqual({
      environments: ["dev", "shared"],
      clusters: [],
      component: "shared",
      manifest: true,
    });
  });

  test("a root without literal folders: everything below the matched prefix counts", () => {
    expect(classifyPath(fleet, "edge/payments/x.yaml")).toEqual({ environments: ["prod"], clusters: ["edge"], component: "payments", manifest: true });
    expect(classifyPath(fleet, "edge/x.yaml").component).toBeNull();
    expect(classifyPath(fleet, "edge/x.json").clusters).toEqual([]);
  });

  test("a wildcard in the last segment: files directly in the root have no component", () => {
    expect(classifyPath(fleet, "legacy/dev-payments.yaml")).toEqual({ environments: ["dev"], clusters: [], component: null, manifest: true });
  });

  test("a cluster without paths never matches a file", () => {
    expect(classifyPath(fleet, "anything/at/all.yaml").clusters).toEqual([]);
  });
});

describe("component depth", () => {
  const fleet = buildFleet(configOf("components: { depth: 2 }\nenvironments: [{ name: dev, paths: [envs/dev/**] }]\n"));

  test("two folder levels name the component", () => {
    expect(classifyPath(fleet, "envs/dev/team-a/payments/deploy.yaml").component).toBe("team-a/payments");
    expect(classifyPath(fleet, "envs/dev/team-a/payments/base/deploy.yaml").component).toBe("team-a/payments");
  });

  test("files not deep enough have none", () => {
    expect(classifyPath(fleet, "envs/dev/team-a/deploy.yaml").component).toBeNull();
    expect(classifyPath(fleet, "envs/dev/deploy.yaml").component).toBeNull();
  });
});

describe("componentBelowRoot", () => {
  test.each([
    ["envs/dev/payments/x.yaml", "envs/dev/", 1, "payments"],
    ["envs/dev/x.yaml", "envs/dev/", 1, null],
    ["envs/dev/a/b/c.yaml", "envs/dev/", 3, null],
    ["envs/dev/a/b/c/d.yaml", "envs/dev/", 3, "a/b/c"],
    ["other/a/b.yaml", "envs/dev/", 1, null],
    ["a/b.yaml", "", 1, "a"],
    ["envs/dev/", "envs/dev/", 1, null],
    ["envs/dev//x.yaml", "envs/dev/", 1, null],
  ])("%s below %j at depth %d", (path, root, depth, expected) => {
    expect(componentBelowRoot(path, root, depth)).toBe(expected);
  });

  test("normalizeRepoPath", () => {
    expect(normalizeRepoPath("././a/b")).toBe("a/b");
    expect(normalizeRepoPath("//a")).toBe("a");
    expect(normalizeRepoPath("a/./b")).toBe("a/./b");
  });
});

test("classifying many paths is fast", () => {
  const started = performance.now();
  for (let i = 0; i < 5_000; i++) classifyPath(full, `clusters/prod-eu-1/app-${i % 50}/deploy-${i}.yaml`);
  expect(performance.now() - started).toBeLessThan(2000);
});
