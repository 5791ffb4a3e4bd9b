import { planFleetStatus } from "../../../src/promotion/fleet-status/plan-fleet-status.js";
import { formatDuration, renderStatusMarkdown } from "../../../src/promotion/fleet-status/render-status-markdown.js";
import { PROMOTION_GATES_CHECK_NAME } from "../../../src/promotion/evaluate-gates.js";
import { TREE, at, incident, meta, promotionPr, revertPr, statusInput } from "./status-fixture.js";

const gates = (conclusion: string, summary: string) => [{ name: PROMOTION_GATES_CHECK_NAME, status: "completed", conclusion, url: null, summary, startedAt: null, completedAt: null }];

test("durations in words", () => {
  expect([0, 59, 60, 3599, 3600, 3660, 47 * 3600, 48 * 3600, 50 * 3600].map(formatDuration)).toEqual(["0s", "59s", "1m", "59m", "1h", "1h 1m", "47h", "2d", "2d 2h"]);
});

test("/promote status: this change's promotions first with gate states in words, then the matrix with drift and frozen marks", () => {
  const web = promotionPr(9, meta({ component: "web", source: "dev", target: "staging", originPr: 1, originSha: "a", chain: [["dev", "staging", "a"]] }), { checks: gates("success", "") });
  const api = promotionPr(4, meta({ component: "api", source: "staging", target: "prod/canary", originPr: 3, originSha: "b", chain: [["staging", "prod/canary", "b"]] }), {
    checks: gates("action_required", "| Gate | State | Detail |\n| --- | --- | --- |\n| approvals | ⏳ pending | 0 of 1 approvals |\n| soak | ✅ pass | ok |"),
  });
  const status = planFleetStatus(statusInput({ openPromotions: [web, api], incidents: [incident(7, { environment: "prod", cluster: "prod-eu-1" })] }));
  const text = renderStatusMarkdown(status, 3);
  const lines = text.split("\n");
  expect(lines.slice(0, 6)).toEqual([
    "Open promotions:",
    "",
    "| Pull request | Component | From → to | Gates |",
    "| --- | --- | --- | --- |",
    "| #4 (this change) | api | `staging` → `prod/canary` | ⏳ gates pending (⏳ approvals) |",
    "| #9 | web | `dev` → `staging` | ✅ all gates pass |",
  ]);
  expect(lines).toContain("| Component | dev | staging | prod-eu-1 (prod/canary) ❄️ | prod-eu-2 (prod/rest) | prod-us-1 (prod/rest) | prod-ap-1 (prod/rest) |");
  expect(lines).toContain("| api | 1.2.0 | 1.1.0 ⚠️ | 1.1.0 | — | 1.0.0 ⚠️ | — |");
  expect(lines).toContain("| payments | v2 | v2 | v1 ⚠️ | — | — | — |");
  expect(text).toContain("⚠️ differs from its source environment (3 places).");
  expect(text).toContain("- ❄️ prod-eu-1: incident #7, firing: [HighErrorRate](https://prometheus.example/graph?g0)");
});

test("/promote status without promotions, with baking, reverts and delivery sections", () => {
  const m = meta({ component: "api", source: "staging", target: "prod/canary", originPr: 3, originSha: "o", chain: [["staging", "prod/canary", "o"]] });
  const canary = promotionPr(30, m, { state: "closed", merged: true, createdAt: at(-30), mergedAt: at(0), baking: true });
  const status = planFleetStatus(statusInput({ mergedPromotions: [canary], reverts: [revertPr(40, { environment: "prod", cluster: "prod-eu-1", createdAt: at(5) })], commitDates: new Map([["o", at(-120)]]), now: new Date(at(15)) }));
  const text = renderStatusMarkdown(status, null);
  expect(text.startsWith("No promotion pull request is open.\n\n### Versions on `main`")).toBe(true);
  expect(text).toContain("- api: `prod/canary` → `rest` (#30): 45m left");
  expect(text).toContain("- #40 merged: #3 reverted in prod-eu-1 (api)");
  expect(text).toContain("| prod | 2h (p90 2h, n=1) | — | 100% (1/1) |");
});

test("a large fleet stays far below GitHub's comment limit; untrusted names cannot break the table", () => {
  const tree = new Map(TREE);
  for (let i = 0; i < 500; i++) tree.set(`envs/dev/c${String(i).padStart(3, "0")}|<b>/deploy.yaml`, `kind: Deployment\nspec: { containers: [{ name: a, image: "x/y:${"9".repeat(80)}" }] }\n`);
  const text = renderStatusMarkdown(planFleetStatus(statusInput({ tree })), null);
  expect(text.length).toBeLessThan(20_000);
  expect(text).toContain("Not shown: 442 more components (see the status page).");
  expect(text).not.toContain("<b>");
  expect(text).toContain("c000\\|&lt;b&gt;");
});

test("no configuration: says so", () => {
  expect(renderStatusMarkdown(planFleetStatus(statusInput({ fleet: null, problem: "no valid .github/fleetward.yml on main" })), 1)).toBe("❌ No status: no valid .github/fleetward.yml on main.");
});
