import { planPromotions } from "../../src/promotion/plan-promotions.js";
import { fleetOf } from "./fixture.js";

test("robust input: unrelated, root-level and ./-prefixed changed files; a repository of 20,000 files plans quickly", () => {
  const tree = new Map<string, string>();
  for (let c = 0; c < 400; c++) {
    for (let f = 0; f < 10; f++) {
      tree.set(`envs/dev/c${c}/f${f}.yaml`, `v: ${c === 7 ? 2 : 1}\n`);
      tree.set(`envs/staging/c${c}/f${f}.yaml`, "v: 1\n");
      tree.set(`clusters/prod-eu-1/c${c}/f${f}.yaml`, "v: 1\n");
      tree.set(`clusters/prod-us-1/c${c}/f${f}.yaml`, "v: 1\n");
      tree.set(`docs/c${c}/f${f}.md`, "x\n");
    }
  }
  const started = performance.now();
  const plan = planPromotions({
    fleet: fleetOf(),
    tree,
    changedFiles: ["README.md", "envs/dev/notes.yaml", "./envs/dev/c7/f1.yaml", "/envs/dev/c7/f2.yaml"],
    change: { sha: "abc", prNumber: null, title: "direct push", author: null },
  });
  const ms = performance.now() - started;
  expect(plan.errors).toEqual([]);
  expect(plan.promotions.map((p) => [p.component, p.target, p.files.size])).toEqual([["c7", "staging", 10]]);
  // Files of c7 the push did not touch are drift: the target differed beyond the change.
  expect(plan.promotions[0]?.drift).toHaveLength(8);
  expect(plan.promotions[0]?.title).toBe("Promote c7 from dev to staging");
  expect(ms).toBeLessThan(2000);
});
