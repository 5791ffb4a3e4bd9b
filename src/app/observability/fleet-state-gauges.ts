/**
 * Open incidents and frozen scopes as gauges read from GitHub at scrape time (every replica exports the same
 * values, not counters of its own memory): the open `fleetward:incident` issues the app opened on each installed
 * repository, read at most once per `ttlMs` (default 30 s); concurrent scrapes share one read. A failed read keeps
 * the last values for another `ttlMs` and counts `fleetward_fleet_state_read_errors_total`. The reading and
 * summarizing (fleet-state-read.ts: incident metadata, zod) load with the first scrape, not at start (issue 17).
 */
import type { Logger } from "pino";
import type { ExistingIssue } from "../../rollback/plan-incident.js";
import { importInTurn } from "../lazy/import-in-turn.js";
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
      .then(async (repos) => keep((await importInTurn(() => import("./fleet-state-read.js"))).summarizeFleetState(repos)))
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
