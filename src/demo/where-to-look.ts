/**
 * "Where to look" after the story: the simulated repository's pull requests and issues as text (title, the head of
 * the body, the check runs of a pull request's head), and the URLs of what keeps running.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { GitHubSimulator } from "../simulator/github-simulator.js";
import type { SimIssue } from "../simulator/sim-model.js";
import { alertmanagerBody } from "./alerts.js";
import { OWNER, REPO, type DemoWorld } from "./demo-world.js";

/** The first `lines` lines of a body with text in them, HTML comments (metadata) and Markdown rules left out. */
export function bodyHead(body: string | null, lines = 2, width = 110): string[] {
  const text = (body ?? "").replace(/<!--[\s\S]*?-->/g, "");
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !/^(---|\|[-| :]+\|)$/.test(l))
    .slice(0, lines)
    .map((l) => (l.length > width ? `${l.slice(0, width - 1)}…` : l));
}

function stateOf(sim: GitHubSimulator, issue: SimIssue): string {
  if (!issue.isPull) return issue.state;
  const pull = sim.pull(OWNER, REPO, issue.number);
  return pull.merged ? "merged" : issue.state;
}

/** Every pull request and issue of the demo repository, oldest first. */
export function describeRepository(sim: GitHubSimulator): string[] {
  const out: string[] = [];
  const all = sim.issues(OWNER, REPO).slice().sort((a, b) => a.number - b.number);
  for (const issue of all) {
    const labels = sim.labelsOf(OWNER, REPO, issue.number);
    const kind = issue.isPull ? "pull request" : "issue";
    out.push(`#${issue.number} [${kind}, ${stateOf(sim, issue)}] ${issue.title} (by ${issue.user.login}${labels.length ? `; ${labels.join(", ")}` : ""})`);
    for (const line of bodyHead(issue.body)) out.push(`      ${line}`);
    if (issue.isPull) {
      const pull = sim.pull(OWNER, REPO, issue.number);
      const runs = sim.checkRunsOf(OWNER, REPO, pull.headSha);
      const latest = new Map(runs.map((r) => [r.name, r]));
      const checks = [...latest.values()].map((r) => `${r.name} ${r.conclusion ?? r.status}`);
      if (checks.length) out.push(`      checks: ${checks.join(", ")}`);
    }
  }
  return out;
}

/** The lines to print; writes `alert.json`, a firing alert for prod-eu-1 starting now, for the `curl` line. */
export function whereToLook(world: DemoWorld): string[] {
  const { appUrl, api, alertToken, logFile } = world;
  const alertFile = join(world.dir, "alert.json");
  writeFileSync(alertFile, `${JSON.stringify(alertmanagerBody({ cluster: "prod-eu-1", app: "podinfo", startsAt: world.sim.clock.now() }), null, 2)}\n`);
  return [
    "",
    `Where to look (repository ${OWNER}/${REPO} on the simulated GitHub):`,
    ...describeRepository(world.sim).map((l) => `  ${l}`),
    "",
    `  status page:      ${appUrl}/fleet  (sign in: the simulated GitHub signs you in as alice)`,
    `  freeze:           ${appUrl}/api/freeze?env=prod  (Authorization: Bearer ${alertToken})`,
    `  metrics:          ${appUrl}/metrics`,
    `  simulated GitHub: ${api.baseUrl} (the API only; its calls need the app's tokens)`,
    `  app log:          ${logFile}`,
    `  fire an alert:    curl -s -X POST -H 'Authorization: Bearer ${alertToken}' -H 'Content-Type: application/json' --data @${alertFile} ${appUrl}/api/alerts/alertmanager`,
  ];
}
