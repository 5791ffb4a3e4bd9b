/** What `planFleetStatus` reads: plain facts the loader gathered from GitHub. No octokit types. */
import type { Fleet } from "../../fleet/build-fleet.js";
import type { AlertFact } from "../evaluate-gates.js";
import type { RepositoryTree } from "../repository-tree.js";
import type { FleetStatus } from "./fleet-status-types.js";

/** A check run as the status needs it (gates of open promotions; the policy check's timing for delivery metrics). */
export interface StatusCheckRun {
  name: string;
  status: string;
  conclusion: string | null;
  url: string | null;
  /** The check run's output summary (the gates' table for `fleetward/promotion-gates`). */
  summary: string | null;
  startedAt: string | null;
  completedAt: string | null;
}

/** A promotion pull request opened by the app (open, or merged for baking and delivery metrics). */
export interface StatusPullRequest {
  number: number;
  url: string;
  title: string;
  body: string;
  state: "open" | "closed";
  merged: boolean;
  /** Labelled `fleetward:baking` (a merged wave whose bake runs, see `advance-waves.ts`). */
  baking: boolean;
  createdAt: string;
  mergedAt: string | null;
  /** Check runs of the head commit (the gates check for open ones, every check for merged ones). */
  checks: readonly StatusCheckRun[];
  /** Reviews with their times (merged ones, for the time blocked by the approvals gate). */
  reviews: readonly { user: string; state: string; submittedAt: string }[];
}

/** One of Fleetward's incident issues (opened by the app). */
export interface StatusIncident {
  number: number;
  url: string;
  title: string;
  state: "open" | "closed";
  body: string;
  createdAt: string;
  /** When it closed (or an upper bound such as its last update), null while open. */
  closedAt: string | null;
}

/** A rollback pull request opened by the app (its body carries `fleetward:rollback` metadata). */
export type StatusRevert = Omit<StatusPullRequest, "baking" | "checks" | "reviews">;

export interface FleetStatusInput {
  repository: FleetStatus["repository"];
  /** The fleet of the active configuration on the default branch, or null with `problem` set. */
  fleet: Fleet | null;
  problem?: string;
  /** Files of the default branch (the fleet's folders at least). */
  tree: RepositoryTree;
  openPromotions: readonly StatusPullRequest[];
  /** Merged promotion pull requests of the delivery window (and those still labelled `fleetward:baking`). */
  mergedPromotions: readonly StatusPullRequest[];
  incidents: readonly StatusIncident[];
  /** Alerts recorded in the incidents, by scope (cluster or environment). */
  alerts: readonly AlertFact[];
  reverts: readonly StatusRevert[];
  /** Commit SHA → committer date: the origin merges and the hops' merges of the promotions. */
  commitDates: ReadonlyMap<string, string>;
  now: Date;
  /** Start of the delivery metrics' window. */
  since: Date;
  /** Most reverts listed (default 10). */
  maxReverts?: number;
}
