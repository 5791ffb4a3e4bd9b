import { parsePromotionMetadata } from "../../src/promotion/parse-promotion-metadata.js";
import { planPromotions } from "../../src/promotion/plan-promotions.js";
import type { MergedChange } from "../../src/promotion/plan-promotions.js";
import { fixture, fleetOf } from "./fixture.js";

const change: MergedChange = { sha: "abc1234def", prNumber: 12, title: "payments: new image", author: "alice" };

function tree(entries: Record<string, string>): Map<string, string> {
  return new Map(Object.entries(entries));
}

describe("copy strategy", () => {
  test("a merge in dev opens the staging promotion with only the differing files", () => {
    const fleet = fleetOf();
    const plan = planPromotions({
      fleet,
      tree: tree({
        "envs/dev/payments/deploy.yaml": "image: v2\n",
        "envs/dev/payments/service.yaml": "port: 80\n",
        "envs/staging/payments/deploy.yaml": "image: v1\n",
        "envs/staging/payments/service.yaml": "port: 80\n",
      }),
      changedFiles: ["envs/dev/payments/deploy.yaml"],
      change,
    });
    expect(plan.errors).toEqual([]);
    expect(plan.promotions).toHaveLength(1);
    const p = plan.promotions[0]!;
    expect(p.branch).toBe("fleetward/promote/payments/staging");
    expect(p.source).toBe("dev");
    expect([...p.files]).toEqual([["envs/staging/payments/deploy.yaml", "image: v2\n"]]);
    expect(p.drift).toEqual([]);
    expect(p.title).toBe("Promote payments from dev to staging (#12)");
    expect(p.body).toContain("| `envs/staging/payments/` |");
    const meta = parsePromotionMetadata(p.body);
    expect(meta?.origin).toEqual({ pr: 12, sha: "abc1234def", author: "alice" });
    expect(meta?.chain).toEqual([{ from: "dev", to: "staging", pr: 12, sha: "abc1234def" }]);
  });

  test("environment-specific files of the target are kept; other target-only files are deleted and listed as drift", () => {
    const fleet = fleetOf();
    const plan = planPromotions({
      fleet,
      tree: tree({
        "envs/staging/payments/deploy.yaml": "image: v2\n",
        "envs/staging/payments/replicas.yaml": "replicas: 1\n",
        "envs/staging/payments/service.yaml": "port: 81\n",
        "envs/staging/payments/config/app.env": "MODE=staging\n",
        "envs/prod/payments/deploy.yaml": "image: v1\n",
        "envs/prod/payments/replicas.yaml": "replicas: 5\n",
        "envs/prod/payments/service.yaml": "port: 80\n",
        "envs/prod/payments/config/app.env": "MODE=prod\n",
        "envs/prod/payments/old.yaml": "x: 1\n",
      }),
      changedFiles: ["envs/staging/payments/deploy.yaml"],
      change,
    });
    expect(plan.promotions.map((p) => p.target)).toEqual(["prod/canary"]);
    const p = plan.promotions[0]!;
    expect(p.files).toEqual(
      new Map<string, string | null>([
        ["envs/prod/payments/deploy.yaml", "image: v2\n"],
        ["envs/prod/payments/service.yaml", "port: 81\n"],
        ["envs/prod/payments/old.yaml", null],
      ]),
    );
    expect(p.drift).toEqual([
      { path: "envs/prod/payments/service.yaml", sourcePath: "envs/staging/payments/service.yaml", kind: "differs" },
      { path: "envs/prod/payments/old.yaml", sourcePath: null, kind: "only-in-target" },
    ]);
    // The body lists the drift file by file, each with what differs.
    const driftLines = p.body.split("\n### Drift\n")[1]?.split("\n###")[0]?.split("\n").filter((l) => l.startsWith("- ")) ?? [];
    expect(driftLines).toEqual([
      "- `envs/prod/payments/service.yaml` differs from `envs/staging/payments/service.yaml`",
      "- `envs/prod/payments/old.yaml` exists only in the target (deleted)",
    ]);
    // The shared folder of prod goes out with the first wave and reaches every prod cluster.
    expect(p.locations[0]?.clusters).toEqual(["prod-eu-1", "prod-eu-2", "prod-us-1", "prod-ap-1"]);
    expect(p.body).toContain("- approvals: 1");
  });

  test("a promotion that would change nothing is skipped", () => {
    const plan = planPromotions({
      fleet: fleetOf(),
      tree: tree({ "envs/dev/payments/deploy.yaml": "image: v2\n", "envs/staging/payments/deploy.yaml": "image: v2\n" }),
      changedFiles: ["envs/dev/payments/deploy.yaml"],
      change,
    });
    expect(plan.promotions).toEqual([]);
    expect(plan.skipped).toEqual([{ component: "payments", source: "dev", target: "staging", reason: "no-change" }]);
  });

  test("a component new to the target is created in its shared folder", () => {
    const plan = planPromotions({
      fleet: fleetOf(),
      tree: new Map([["envs/dev/billing/a.yaml", "a: 1\n"]]),
      changedFiles: ["envs/dev/billing/a.yaml"],
      change,
    });
    expect([...(plan.promotions[0]?.files ?? [])]).toEqual([["envs/staging/billing/a.yaml", "a: 1\n"]]);
    expect(plan.promotions[0]?.locations[0]?.files).toEqual([{ path: "envs/staging/billing/a.yaml", kind: "add" }]);
  });

  test("manual targets are skipped on merge but planned by /promote; the lazy tree reader works", () => {
    const text = fixture("fleet.yml").replace("settings:\n  promotion:\n    mode: auto\n", "");
    const fleet = fleetOf(text);
    const files: Record<string, string> = { "envs/dev/payments/d.yaml": "v: 2\n", "envs/staging/payments/d.yaml": "v: 1\n" };
    const reads: string[] = [];
    const lazy = { paths: Object.keys(files), read: (p: string) => (reads.push(p), files[p]) };
    const merged = planPromotions({ fleet, tree: lazy, changedFiles: ["envs/dev/payments/d.yaml"], change });
    expect(merged.promotions).toEqual([]);
    expect(merged.skipped).toEqual([{ component: "payments", source: "dev", target: "staging", reason: "manual" }]);
    const asked = planPromotions({ fleet, tree: lazy, changedFiles: [], change, trigger: { kind: "command", target: "staging" } });
    expect(asked.promotions.map((p) => [p.component, p.target, p.mode])).toEqual([["payments", "staging", "manual"]]);
    expect(reads).toContain("envs/staging/payments/d.yaml");
    const unknown = planPromotions({ fleet, tree: lazy, changedFiles: [], change, trigger: { kind: "command", target: "qa" } });
    expect(unknown.errors[0]).toMatch(/unknown promotion target "qa"/);
    const first = planPromotions({ fleet, tree: lazy, changedFiles: [], change, trigger: { kind: "command", target: "dev" } });
    expect(first.errors[0]).toMatch(/receives no promotions/);
  });
});

describe("values strategy and waves", () => {
  const staging = fixture("kustomization-source.yaml");
  const prodEu1 = fixture("kustomization-target.yaml");
  const files = {
    "envs/staging/api/kustomization.yaml": staging,
    "envs/staging/api/values.yaml": "image:\n  tag: 2.0.0 # chart\n  pullPolicy: Always\n",
    "clusters/prod-eu-1/api/kustomization.yaml": prodEu1,
    "clusters/prod-eu-1/api/replicas.yaml": "replicas: 9\n",
    "clusters/prod-us-1/api/kustomization.yaml": prodEu1.replace("prod-eu-1", "prod-us-1"),
    "clusters/prod-us-1/api/values.yaml": "image:\n  tag: 1.0.0 # us\n  pullPolicy: IfNotPresent\n",
  };

  test("a merge in staging opens the first wave only, editing listed fields and keeping comments and layout", () => {
    const plan = planPromotions({ fleet: fleetOf(), tree: tree(files), changedFiles: ["envs/staging/api/kustomization.yaml"], change });
    expect(plan.promotions.map((p) => p.target)).toEqual(["prod/canary"]);
    const p = plan.promotions[0]!;
    expect(p.strategy).toBe("values");
    // The component exists only in some prod clusters: canary is prod-eu-1, which runs it.
    expect([...p.files.keys()]).toEqual(["clusters/prod-eu-1/api/kustomization.yaml"]);
    expect(p.files.get("clusters/prod-eu-1/api/kustomization.yaml")).toBe(fixture("kustomization-expected.yaml"));
    expect(p.locations[0]?.fieldChanges.map((c) => [c.path, c.from, c.to])).toEqual([
      ["images[name=ghcr.io/acme/api].newTag", "1.4.2", "1.5.0"],
      ["images[name=ghcr.io/acme/sidecar].newTag", "0.9.0", "0.9.1"],
    ]);
    expect(p.drift).toEqual([]);
  });

  // After the canary wave merged: prod-eu-1 runs the new tags.
  const afterCanary = { ...files, "clusters/prod-eu-1/api/kustomization.yaml": fixture("kustomization-expected.yaml") };

  test("/promote to the second wave (waves by label) edits only clusters that run the component", () => {
    const plan = planPromotions({
      fleet: fleetOf(),
      tree: tree(afterCanary),
      changedFiles: [],
      change,
      trigger: { kind: "command", target: "prod/rest", component: "api" },
    });
    const p = plan.promotions[0]!;
    expect(p.source).toBe("prod/canary");
    expect(p.branch).toBe("fleetward/promote/api/prod/rest");
    // prod-eu-1 is the canary source; prod-us-1 runs api; prod-eu-2 and prod-ap-1 do not.
    expect(p.notDeployedIn).toEqual(["prod-eu-2", "prod-ap-1"]);
    expect([...p.files.keys()]).toEqual(["clusters/prod-us-1/api/kustomization.yaml"]);
    expect(p.body).toContain("Not deployed in (left alone): prod-eu-2, prod-ap-1.");
  });

  test("/promote to one cluster takes the hop into its wave", () => {
    const plan = planPromotions({
      fleet: fleetOf(),
      tree: tree(afterCanary),
      changedFiles: [],
      change,
      trigger: { kind: "command", target: "prod-us-1", component: "api" },
    });
    expect(plan.promotions.map((p) => [p.source, p.target, [...p.files.keys()]])).toEqual([
      ["prod/canary", "prod-us-1", ["clusters/prod-us-1/api/kustomization.yaml"]],
    ]);
  });

  test("between waves the source is the first wave's cluster overlay, not the shared folder both waves share", () => {
    const plan = planPromotions({
      fleet: fleetOf(),
      tree: tree({
        "envs/prod/web/base.yaml": "shared: true\n",
        "clusters/prod-eu-1/web/patch.yaml": "tag: v2\n",
        "clusters/prod-us-1/web/patch.yaml": "tag: v1\n",
      }),
      changedFiles: [],
      change,
      trigger: { kind: "command", target: "prod/rest", component: "web" },
    });
    expect([...(plan.promotions[0]?.files ?? [])]).toEqual([["clusters/prod-us-1/web/patch.yaml", "tag: v2\n"]]);
    // Every prod cluster runs web through the shared folder.
    expect(plan.promotions[0]?.notDeployedIn).toEqual([]);
  });

  test("a merged wave-1 promotion waits for the bake instead of opening wave 2", () => {
    const plan = planPromotions({ fleet: fleetOf(), tree: tree(files), changedFiles: ["clusters/prod-eu-1/api/kustomization.yaml"], change });
    expect(plan.promotions).toEqual([]);
    expect(plan.skipped).toEqual([{ component: "api", source: "prod/canary", target: "prod/rest", reason: "waits-for-bake" }]);
  });

  test("the chain continues from a merged promotion pull request", () => {
    const first = planPromotions({
      fleet: fleetOf(),
      tree: tree({ "envs/dev/payments/d.yaml": "v: 2\n", "envs/staging/payments/d.yaml": "v: 1\n" }),
      changedFiles: ["envs/dev/payments/d.yaml"],
      change,
    }).promotions[0]!;
    const second = planPromotions({
      fleet: fleetOf(),
      tree: tree({ "envs/staging/payments/d.yaml": "v: 2\n", "envs/prod/payments/d.yaml": "v: 1\n" }),
      changedFiles: ["envs/staging/payments/d.yaml"],
      change: { sha: "fff0000aaa", prNumber: 15, title: first.title, author: "fleetward[bot]", body: first.body },
    }).promotions[0]!;
    expect(second.metadata.origin).toEqual({ pr: 12, sha: "abc1234def", author: "alice" });
    expect(second.metadata.chain.map((h) => [h.from, h.to, h.pr])).toEqual([
      ["dev", "staging", 12],
      ["staging", "prod/canary", 15],
    ]);
    expect(second.title).toBe("Promote payments from staging to prod/canary (#12)");
    expect(second.body).toContain("Chain: dev → staging (after #12) → prod/canary (after #15)");
  });
});
