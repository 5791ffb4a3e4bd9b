import type { Logger } from "pino";
import { buildFleet } from "../../fleet/build-fleet.js";
import { type FreezeState, freezeState } from "../../rollback/freeze-state.js";
import { INCIDENT_LABEL } from "../../rollback/resolve-rollback-settings.js";
import { listIssuesWithLabel } from "../github/issues.js";
import type { AlertRepositories } from "./alert-repositories.js";
import { asExistingIssue } from "./run-rollback.js";

export interface FreezeQuery {
  /** `owner/name`; may be omitted when the app is installed on one repository. */
  repo?: string | undefined;
  env?: string | undefined;
  cluster?: string | undefined;
}

export type FreezeAnswer = ({ ok: true; repository: string } & FreezeState) | { ok: false; status: 400 | 404; message: string };

/**
 * Whether promotions and rollouts into `env`/`cluster` of a repository are frozen: its open `fleetward:incident`
 * issues (by the app only) through `freezeState`. Unknown environment or cluster names are refused (400) so a
 * typo cannot let a rollout through. Calls: the repository's configuration (cached) and one issue listing.
 */
export async function readFreeze(repos: AlertRepositories, query: FreezeQuery, log: Logger): Promise<FreezeAnswer> {
  const found = await repos.find(query.repo);
  if ("error" in found) return { ok: false, status: query.repo ? 404 : 400, message: found.error };
  const opened = await repos.open(found.repo, log);
  const repository = `${found.repo.owner}/${found.repo.repo}`;
  if (!opened.config) return { ok: false, status: 404, message: `${repository} has no valid Fleetward configuration` };
  const fleet = buildFleet(opened.config);
  if (query.env !== undefined && !fleet.environments.some((e) => e.name === query.env)) {
    return { ok: false, status: 400, message: `${repository} has no environment named ${JSON.stringify(query.env)}` };
  }
  const cluster = query.cluster === undefined ? undefined : fleet.clusters.find((c) => c.name === query.cluster);
  if (query.cluster !== undefined && cluster === undefined) {
    return { ok: false, status: 400, message: `${repository} has no cluster named ${JSON.stringify(query.cluster)}` };
  }
  if (cluster && query.env !== undefined && cluster.environment !== query.env) {
    return { ok: false, status: 400, message: `cluster ${cluster.name} is in environment ${cluster.environment}, not ${query.env}` };
  }
  const issues = await listIssuesWithLabel(opened.gh, { owner: found.repo.owner, repo: found.repo.repo, label: INCIDENT_LABEL, state: "open" });
  const state = freezeState(issues.map(asExistingIssue), { ...(query.env !== undefined ? { env: query.env } : {}), ...(query.cluster !== undefined ? { cluster: query.cluster } : {}) }, {
    fleet,
    trustedAuthor: await repos.botLogin(),
  });
  return { ok: true, repository, ...state };
}
