/**
 * Open incidents and frozen scopes as gauges read from GitHub at scrape time (every replica exports the same
 * values, not counters of its own memory): the open `fleetward:incident` issues the app opened on each installed
 * repository, read at most once per `ttlMs` (default 30 s); concurrent scrapes share one read. A failed read keeps
 * the last values for another `ttlMs` and counts `fleetward_fleet_state_read_errors_total`.
 */
import type { Logger } from "pino";
import { type ExistingIssue, incidentsOf } from "../../rollback/plan-incident.js";
import { INCIDENT_LABEL } from "../../rollback/resolve-rollback-settings.js";
import type { GitHubClient } from "../github/github-client.js";
import { listIssuesWithLabel } from "../github/issues.js";
import type { AlertRepositories } from "../rollback/alert-repositories.js";
import { asExistingIssue } from "../rollback/run-rollback.js";
import type { FleetwardMetrics } from "./metrics-registry.js";

export interface RepositoryIncidents {
  repository: string;
  issues: readonly ExistingIssue[];
  /** The app's bot login: incidents opened by anyone else are not counted. */
  trustedAuthor: string;
}

export interface EnvironmentState {
  openIncidents: number;
  /** Distinct scopes frozen: a whole environment (an incident without clusters) or each cluster an incident names. */
  frozenScopes: number;
}

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

/** Forgets every cached read (this process opened or closed an incident: its next scrape reads GitHub again). */
const invalidators = new Set<() => void>();
export function fleetStateChanged(): void {
  for (const invalidate of invalidators) invalidate();
}

/**
 * Registers the two gauges on `metrics`, computed from `read` at scrape time, cached for `ttlMs` (or until this
 * process changes an incident: `fleetStateChanged`; other replicas see the change when their cache expires).
 */
export function registerFleetStateGauges(metrics: FleetwardMetrics, read: () => Promise<RepositoryIncidents[]>, options: { ttlMs?: number; now?: () => number; log?: Logger } = {}): void {
  const ttlMs = options.ttlMs ?? 30_000;
  const now = options.now ?? Date.now;
  const errors = metrics.counter("fleetward_fleet_state_read_errors_total", "Scrape-time reads of incidents from GitHub that failed (the gauges kept their last values).");
  let cached: { at: number; state: Map<string, EnvironmentState> } | null = null;
  let pending: Promise<Map<string, EnvironmentState>> | null = null;
  // A read started before an invalidation must not fill the cache afterwards.
  let generation = 0;
  invalidators.add(() => {
    generation++;
    cached = null;
    pending = null;
  });
  const state = async (): Promise<Map<string, EnvironmentState>> => {
    if (cached && now() - cached.at < ttlMs) return cached.state;
    if (pending) return pending;
    const mine = generation;
    const keep = (state: Map<string, EnvironmentState>) => {
      if (mine === generation) cached = { at: now(), state };
      return state;
    };
    const reading = read()
      .then((repos) => keep(summarizeFleetState(repos)))
      .catch((error: unknown) => {
        errors.inc();
        options.log?.warn({ err: error }, "incidents for /metrics could not be read");
        // Tried again after the TTL, not at every scrape while GitHub fails.
        return keep(cached?.state ?? new Map<string, EnvironmentState>());
      })
      .finally(() => {
        if (pending === reading) pending = null;
      });
    pending = reading;
    return reading;
  };
  const gaugeOf = (name: string, help: string, pick: (s: EnvironmentState) => number) => {
    // The newest app's reader wins (a process may load the app again, as tests do).
    metrics.registry.removeSingleMetric(name);
    metrics.gauge({
      name,
      help,
      labelNames: ["environment"],
      async collect(gauge) {
        gauge.reset();
        for (const [environment, s] of await state()) gauge.set({ environment }, pick(s));
      },
    });
  };
  gaugeOf("fleetward_open_incidents", "Open incident issues the app opened, per environment (read from GitHub, cached).", (s) => s.openIncidents);
  gaugeOf("fleetward_frozen_scopes", "Scopes (whole environments or clusters) frozen by open incidents, per environment (read from GitHub, cached).", (s) => s.frozenScopes);
}
