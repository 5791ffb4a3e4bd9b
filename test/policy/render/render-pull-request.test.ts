import { renderPullRequest } from "../../../src/policy/render/render-pull-request.js";
import { renderCheckRun, renderDiffText } from "../../../src/policy/render/render-check.js";
import { config, deployment, FLEET, overlay, repo, standInRenderer } from "./render-test-helpers.js";

const c = config(FLEET);
const withFile = (files: Map<string, string>, path: string, text: string | undefined) => {
  const out = new Map(files);
  if (text === undefined) out.delete(path);
  else out.set(path, text);
  return out;
};

describe("renderPullRequest", () => {
  test("a base change affects every overlay: each is judged and diffed, with the blast radius over all three", () => {
    const base = repo("good.io/web:1");
    const head = withFile(base, "base/deployment.yaml", deployment("good.io/web:2"));
    const r = renderPullRequest({ config: c, inputs: { head, base, changedPaths: ["base/deployment.yaml"] }, renderer: standInRenderer });
    expect(r.judge.roots.map((x) => x.dir)).toEqual(["envs/dev", "envs/prod-eu-1", "envs/staging"]);
    expect(r.diffs.map((d) => [d.dir, d.status, d.changed.map((o) => `${o.kind}/${o.name}`)])).toEqual([
      ["envs/dev", "changed", ["Deployment/web"]],
      ["envs/prod-eu-1", "changed", ["Deployment/web"]],
      ["envs/staging", "changed", ["Deployment/web"]],
    ]);
    expect(r.diffs[0]!.changed[0]!.hunks).toEqual(expect.arrayContaining(["-        image: good.io/web:1", "+        image: good.io/web:2"]));
    expect(renderCheckRun(r.diffs, r.radius, "h1").title).toBe("Affects 3 clusters in 3 environments: 3 Deployments; 0 clusters unchanged");
    // Files in kustomization folders are judged through their roots; the plain manifest outside any is not.
    expect(["base/deployment.yaml", "envs/prod-eu-1/patch.yaml", "envs/dev/kustomization.yaml"].every(r.isRendered)).toBe(true);
    expect(r.isRendered("apps/dev/pod.yaml")).toBe(false);
  });

  test("an overlay change affects that overlay only; the others count as unchanged; an unread file in a tree affects nothing", () => {
    const base = repo();
    const head = withFile(base, "envs/prod-eu-1/extra.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\ndata:\n  a: b\n");
    const r = renderPullRequest({ config: c, inputs: { head, base, changedPaths: ["envs/prod-eu-1/extra.yaml"] }, renderer: standInRenderer });
    expect(r.judge.roots.map((x) => x.dir)).toEqual(["envs/prod-eu-1"]);
    expect(r.radius).toEqual({ targets: 1, environments: 1, kinds: [{ kind: "ConfigMap", count: 1 }], unchangedTargets: 2, failedRoots: 0 });

    // patch.yaml is in the overlay's tree but its kustomization does not read it: rendered, unchanged, not judged.
    const patched = withFile(base, "envs/prod-eu-1/patch.yaml", "spec:\n  replicas: 5\n");
    const p = renderPullRequest({ config: c, inputs: { head: patched, base, changedPaths: ["envs/prod-eu-1/patch.yaml"] }, renderer: standInRenderer });
    expect(p.judge.roots).toEqual([]);
    expect(p.diffs.map((d) => d.status)).toEqual(["unchanged"]);
    expect(renderCheckRun(p.diffs, p.radius, "h").title).toBe("No rendered changes; 3 clusters unchanged");
  });

  test("a new overlay is added, a removed one removed, a broken one failed (the check fails; the diff of the others stays)", () => {
    const base = repo();
    let head = withFile(base, "envs/staging/kustomization.yaml", undefined);
    head = withFile(head, "envs/dev/kustomization.yaml", "fail: render_cycle\n");
    head = withFile(head, "envs/prod-eu-2/kustomization.yaml", overlay("../../base"));
    const changedPaths = ["envs/staging/kustomization.yaml", "envs/dev/kustomization.yaml", "envs/prod-eu-2/kustomization.yaml"];
    const r = renderPullRequest({ config: c, inputs: { head, base, changedPaths }, renderer: standInRenderer });
    expect(r.diffs.map((d) => [d.dir, d.status, d.targets])).toEqual([
      ["envs/dev", "failed", ["dev"]],
      ["envs/staging", "removed", ["staging"]],
      ["envs/prod-eu-2", "added", ["prod"]],
    ]);
    expect(r.judge.roots.map((x) => x.dir)).toEqual(["envs/dev", "envs/prod-eu-2"]);
    const run = renderCheckRun(r.diffs, r.radius, "h");
    expect(run.conclusion).toBe("failure");
    expect(run.title).toBe("Affects 3 clusters in 3 environments: 2 Deployments, 1 root cannot be rendered; 1 cluster unchanged");
    expect(run.summary).toContain("| `envs/dev` | dev | cannot be rendered |");
    expect(run.summary).toContain("- `envs/dev/kustomization.yaml:1` render_stand_in: render_cycle");
    expect(renderDiffText(r.diffs, r.radius)).toContain("== envs/staging [staging]: root removed, 1 removed\nremoved Deployment web\n");
  });

  test("without a base only the head is rendered (no diff needed): affected roots are those reading a changed path", () => {
    const head = repo();
    const r = renderPullRequest({ config: c, inputs: { head, changedPaths: ["envs/staging/kustomization.yaml"] }, renderer: standInRenderer });
    expect(r.judge.roots.map((x) => x.dir)).toEqual(["envs/staging"]);
  });
});
