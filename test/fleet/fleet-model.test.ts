import { readFileSync } from "node:fs";
import { join } from "node:path";
import { buildFleet } from "../../src/fleet/build-fleet.js";
import { clustersOfEnvironment } from "../../src/fleet/clusters-of-environment.js";
import { matchesLabelSelector, labelSelectorSchema } from "../../src/fleet/matches-label-selector.js";
import type { LabelSelector } from "../../src/fleet/matches-label-selector.js";
import { nextEnvironments } from "../../src/fleet/next-environments.js";
import { promotionChain } from "../../src/fleet/promotion-chain.js";
import { rootFolders } from "../../src/fleet/root-folders.js";
import { selectClusters } from "../../src/fleet/select-clusters.js";
import { configOf } from "./config-of.js";

const fullText = readFileSync(join(process.cwd(), "test", "fixtures", "config", "full.yml"), "utf8");
const full = buildFleet(configOf(fullText));

const branching = buildFleet(
  configOf(
    [
      "environments:",
      "  - { name: dev, paths: [envs/dev/**] }",
      "  - { name: staging, paths: [envs/staging/**], promotedFrom: dev }",
      "  - { name: perf, paths: [envs/perf/**], promotedFrom: dev }",
      "  - { name: prod, paths: [envs/prod/**, legacy/prod/**], promotedFrom: staging }",
      "  - { name: sandbox, paths: [sandbox/**] }",
      "clusters:",
      "  - { name: eu-1, environment: prod, labels: { region: eu, wave: '1' }, paths: [clusters/eu-1/**] }",
      "  - { name: eu-2, environment: prod, labels: { region: eu, wave: '2', canary: 'true' } }",
      "  - { name: us-1, environment: prod, labels: { region: us, wave: '1' } }",
      "  - { name: dev-1, environment: dev, labels: { region: eu } }",
    ].join("\n"),
  ),
);

describe("buildFleet", () => {
  test("environments know their clusters and successors", () => {
    expect(branching.environments.map((e) => [e.name, e.index, e.promotedFrom, e.promotesTo, e.clusters])).toEqual([
      ["dev", 0, null, ["staging", "perf"], ["dev-1"]],
      ["staging", 1, "dev", ["prod"], []],
      ["perf", 2, "dev", [], []],
      ["prod", 3, "staging", [], ["eu-1", "eu-2", "us-1"]],
      ["sandbox", 4, null, [], []],
    ]);
    expect(full.componentDepth).toBe(1);
    expect(full.clusters.map((c) => [c.name, c.paths.map((p) => p.root)])).toEqual([
      ["prod-eu-1", ["clusters/prod-eu-1/"]],
      ["prod-us-1", ["clusters/prod-us-1/"]],
    ]);
  });
});

describe("promotion helpers", () => {
  test("promotionChain runs from the start of the chain to the environment", () => {
    expect(promotionChain(branching, "prod")).toEqual(["dev", "staging", "prod"]);
    expect(promotionChain(branching, "perf")).toEqual(["dev", "perf"]);
    expect(promotionChain(branching, "dev")).toEqual(["dev"]);
    expect(promotionChain(branching, "nope")).toEqual([]);
  });

  test("nextEnvironments lists fan-out in configuration order", () => {
    expect(nextEnvironments(branching, "dev")).toEqual(["staging", "perf"]);
    expect(nextEnvironments(branching, "staging")).toEqual(["prod"]);
    expect(nextEnvironments(branching, "prod")).toEqual([]);
    expect(nextEnvironments(branching, "nope")).toEqual([]);
  });

  test("promotionChain stops on a cycle in an unvalidated config", () => {
    const cyclic = buildFleet({
      ...configOf("environments: [{ name: a, paths: [a/**] }, { name: b, paths: [b/**] }]\n"),
    });
    const a = cyclic.environments[0];
    const b = cyclic.environments[1];
    if (!a || !b) throw new Error("fixture");
    a.promotedFrom = "b";
    b.promotedFrom = "a";
    expect(promotionChain(cyclic, "a")).toEqual(["b", "a"]);
  });
});

describe("clusters", () => {
  test("clustersOfEnvironment", () => {
    expect(clustersOfEnvironment(branching, "prod").map((c) => c.name)).toEqual(["eu-1", "eu-2", "us-1"]);
    expect(clustersOfEnvironment(branching, "staging")).toEqual([]);
    expect(clustersOfEnvironment(branching, "nope")).toEqual([]);
  });

  test.each<[string, LabelSelector, string[]]>([
    ["empty selector selects all", {}, ["eu-1", "eu-2", "us-1", "dev-1"]],
    ["matchLabels", { matchLabels: { region: "eu" } }, ["eu-1", "eu-2", "dev-1"]],
    ["matchLabels, all pairs", { matchLabels: { region: "eu", wave: "1" } }, ["eu-1"]],
    ["In", { matchExpressions: [{ key: "wave", operator: "In", values: ["1", "3"] }] }, ["eu-1", "us-1"]],
    ["In needs the key", { matchExpressions: [{ key: "canary", operator: "In", values: ["true", ""] }] }, ["eu-2"]],
    ["NotIn includes clusters without the key", { matchExpressions: [{ key: "wave", operator: "NotIn", values: ["1"] }] }, ["eu-2", "dev-1"]],
    ["Exists", { matchExpressions: [{ key: "canary", operator: "Exists" }] }, ["eu-2"]],
    ["DoesNotExist", { matchExpressions: [{ key: "wave", operator: "DoesNotExist" }] }, ["dev-1"]],
    ["In with no values selects nothing", { matchExpressions: [{ key: "region", operator: "In", values: [] }] }, []],
    [
      "labels and expressions combined",
      { matchLabels: { region: "eu" }, matchExpressions: [{ key: "wave", operator: "Exists" }, { key: "canary", operator: "DoesNotExist" }] },
      ["eu-1"],
    ],
  ])("selectClusters: %s", (_name, selector, expected) => {
    expect(selectClusters(branching, selector).map((c) => c.name)).toEqual(expected);
  });

  test("selectClusters within one environment", () => {
    expect(selectClusters(branching, { matchLabels: { region: "eu" } }, { environment: "dev" }).map((c) => c.name)).toEqual(["dev-1"]);
  });

  test("matchesLabelSelector does not see inherited object properties", () => {
    expect(matchesLabelSelector({}, { matchExpressions: [{ key: "toString", operator: "Exists" }] })).toBe(false);
    expect(matchesLabelSelector({}, { matchLabels: { constructor: "x" } })).toBe(false);
  });

  test("labelSelectorSchema validates selectors from user input", () => {
    expect(labelSelectorSchema.safeParse({ matchExpressions: [{ key: "a", operator: "Exists" }] }).success).toBe(true);
    expect(labelSelectorSchema.safeParse({ matchExpressions: [{ key: "a", operator: "Like" }] }).success).toBe(false);
    expect(labelSelectorSchema.safeParse({ matchLabel: {} }).success).toBe(false);
  });
});

describe("rootFolders", () => {
  test("of environments, clusters and components", () => {
    expect(rootFolders(branching, { environment: "prod" })).toEqual(["envs/prod/", "legacy/prod/"]);
    expect(rootFolders(branching, { environment: "prod", component: "payments" })).toEqual(["envs/prod/payments/", "legacy/prod/payments/"]);
    expect(rootFolders(branching, { cluster: "eu-1" })).toEqual(["clusters/eu-1/"]);
    expect(rootFolders(branching, { cluster: "eu-1", component: "ingress" })).toEqual(["clusters/eu-1/ingress/"]);
    expect(rootFolders(branching, { cluster: "eu-2" })).toEqual([]);
    expect(rootFolders(branching, { environment: "nope" })).toEqual([]);
  });
});
