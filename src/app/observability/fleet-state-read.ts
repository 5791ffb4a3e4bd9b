/**
 * What the incident gauges show (fleet-state-gauges.ts), read and summarized at scrape time: each installed repository's
 * open incident issues, and per environment the open incidents and the scopes they freeze.
 */
import { incidentsOf } from "../../rollback/plan-incident.js";
import { INCIDENT_LABEL } from "../../rollback/resolve-rollback-settings.js";
import type { GitHubClient } from "../github/github-client.js";
import { listIssuesWithLabel } from "../github/issues.js";
import type { AlertRepositories } from "../rollback/alert-repositories.js";
import { asExistingIssue } from "../rollback/run-rollback.js";
import type { EnvironmentState, RepositoryIncidents } from "./fleet-state-gauges.js";

/** Open incidents and frozen scopes per environment name, over every repository. */
export function summarizeFleetState(repos: readonly RepositoryIncidents[]): Map<string, EnvironmentState> {
  const incidents = new Map<string, number>();
  const scopes = new Map<string, Set<string>>();
  for (const repo of repos) {
    for (const { issue, meta } of incidentsOf(repo.issues, repo.trustedAuthor)) {
      if (issue.state !== "open") continue;
      incidents.set(meta.environment, (incidents.get(meta.environment) ?? 0) + 1);
      const frozen = scopes.get(meta.environment) ?? new Set<string>();
      for (const cluster of meta.clusters.length > 0 ? meta.clusters : [null]) frozen.add(JSON.stringify([repo.repository, cluster]));
      scopes.set(meta.environment, frozen);
    }
  }
  return new Map([...incidents].map(([env, n]) => [env, { openIncidents: n, frozenScopes: scopes.get(env)?.size ?? 0 }]));
}

/** Reads every installed repository's open incident issues with its installation's token. */
export async function readFleetIncidents(repos: Pick<AlertRepositories, "installed" | "botLogin">, auth: (installationId: number) => Promise<GitHubClient>): Promise<RepositoryIncidents[]> {
  const trustedAuthor = await repos.botLogin();
  const installed = await repos.installed();
  return Promise.all(
    installed.map(async (repo) => {
      const gh = await auth(repo.installationId);
      const issues = await listIssuesWithLabel(gh, { owner: repo.owner, repo: repo.repo, label: INCIDENT_LABEL, state: "open" });
      return { repository: `${repo.owner}/${repo.repo}`, issues: issues.map(asExistingIssue), trustedAuthor };
    }),
  );
}
