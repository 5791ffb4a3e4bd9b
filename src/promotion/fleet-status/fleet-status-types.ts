/**
 * "What is where" for one repository, as plain data: the output of `planFleetStatus`. The `/promote status`
 * comment and the `/fleet` page both render one `FleetStatus`, so they always agree. Stable: fields are only
 * ever added, never renamed or removed. Times are ISO 8601 strings (UTC), durations whole seconds.
 */

/** A pull request or issue with its link. */
export interface LinkedItem {
  number: number;
  url: string;
  title: string;
}

/** One column of the matrix: an environment without clusters, or one cluster of an environment. */
export interface StatusColumn {
  /** Unique key: the cluster's name, or the environment's name for an environment without clusters. */
  key: string;
  environment: string;
  /** Null for an environment without clusters. */
  cluster: string | null;
  /** The wave the cluster belongs to, or null (no waves, or no cluster). */
  wave: string | null;
  /** Whether an open Fleetward incident freezes this column (see `frozen`). */
  frozen: boolean;
}

/** One version found: an image tag (`name` = image without tag) or a promoted field (`name` = `file: path`). */
export interface VersionValue {
  name: string;
  value: string;
}

/** One component in one column. */
export interface VersionCell {
  /** `StatusColumn.key`. */
  column: string;
  /** Whether the component exists in this column (its cluster folder, or the environment's shared folder). */
  present: boolean;
  /** The versions, sorted by name; empty when present but no image tag or promoted field was found. */
  versions: VersionValue[];
  /** The versions as one short text (`1.4.0`, or `api=1.4.0, sidecar=2.1`), `—` when absent, `?` when unknown. */
  text: string;
  /** The folder the versions were read from (ends in `/`), or null when absent. */
  folder: string | null;
  /** Differs from the same component in the previous environment of the promotion chain (see `drift`). */
  drift: boolean;
}

export interface ComponentStatus {
  component: string;
  /** The promotion strategy of its rule: image tags are read for `copy`, the promoted fields for `values`. */
  strategy: "copy" | "values";
  /** One cell per column, in the order of `FleetStatus.columns`. */
  cells: VersionCell[];
}

/** A component whose version in an environment (or cluster) differs from its source environment's. */
export interface DriftStatus {
  component: string;
  /** Column key where the difference is seen. */
  column: string;
  /** Column key of the source it is compared with (same cluster position rules: the source environment's first present column). */
  source: string;
  /** `VersionCell.text` of the source and of this column. */
  sourceText: string;
  text: string;
  /** An open promotion pull request that would close the gap, if any. */
  promotion: LinkedItem | null;
}

export type GateStateText = "pass" | "pending" | "fail";

/** One gate of `fleetward/promotion-gates`, as its check run reported it. */
export interface GateStatus {
  /** `approvals`, `soak`, `policy`, `window` or `incident`. */
  name: string;
  state: GateStateText;
  detail: string;
}

export interface OpenPromotionStatus {
  pr: LinkedItem;
  component: string;
  source: string;
  target: string;
  openedAt: string;
  origin: { pr: number | null; url: string | null; sha: string; author: string | null };
  gates: {
    /** `pass`/`fail`/`pending` from the check run's conclusion, or `unknown` when it was not published yet. */
    state: GateStateText | "unknown";
    /** Link to the check run, when published. */
    checkUrl: string | null;
    /** Each gate when the check run's text lists them; empty otherwise. */
    gates: GateStatus[];
  };
}

export interface BakingWaveStatus {
  environment: string;
  /** The wave that merged and bakes. */
  wave: string;
  /** The wave it opens next. */
  nextWave: string;
  component: string;
  pr: LinkedItem;
  mergedAt: string;
  /** When the bake ends. */
  bakeUntil: string;
  /** Seconds left (0 once over: the next wave opens at the next check). */
  secondsLeft: number;
  /** `halted` when an alert fired on the wave's clusters during the bake. */
  state: "baking" | "ready" | "halted";
  detail: string;
}

export interface FrozenAlertStatus {
  name: string;
  status: "firing" | "resolved";
  startsAt: string;
  summary: string | null;
  /** The alert's source link (`generatorURL`), when it has one. */
  url: string | null;
}

export interface FrozenScopeStatus {
  environment: string;
  /** The cluster the incident names alone, or null for environment-wide or several clusters. */
  cluster: string | null;
  /** Clusters frozen (empty: the whole environment). */
  clusters: string[];
  incident: LinkedItem;
  alerts: FrozenAlertStatus[];
  /** One line, as `GET /api/freeze` says it. */
  reason: string;
}

export interface RevertStatus {
  pr: LinkedItem;
  state: "open" | "merged" | "closed";
  environment: string;
  cluster: string | null;
  component: string | null;
  revertedSha: string;
  /** The reverted pull request, when known. */
  revertedPr: number | null;
  createdAt: string;
  mergedAt: string | null;
}

/** Summary of a set of durations (seconds). */
export interface DurationSummary {
  count: number;
  medianSeconds: number | null;
  p90Seconds: number | null;
  maxSeconds: number | null;
}

/** One change's arrival somewhere: origin merge → merge of the promotion into `target`. */
export interface LeadTimeSample {
  component: string;
  environment: string;
  /** The promotion scope (`prod`, `prod/canary`, a cluster). */
  target: string;
  originPr: number | null;
  originSha: string;
  /** The promotion pull request that brought it. */
  pr: number;
  seconds: number;
  /** Whether `target` is the environment's last wave (or the environment itself when it has no waves). */
  complete: boolean;
}

export interface DeliveryMetrics {
  /** Merged promotion pull requests considered (the loader's window). */
  since: string;
  samples: LeadTimeSample[];
  /** Per environment: lead time to its first arrival there, and to its last wave (its last cluster). */
  leadTime: { environment: string; arrival: DurationSummary; complete: DurationSummary }[];
  /** Lead time to the last wave of the last environment of the chain (the change is everywhere). */
  fleetComplete: DurationSummary;
  /** Per target environment and gate: seconds the gate was not passing between opening and merge. */
  gateBlocked: { environment: string; gate: string; summary: DurationSummary; totalSeconds: number }[];
  /** Each merged promotion's seconds per gate (the values `gateBlocked` summarizes; histograms on `/metrics`). */
  gateBlockedSamples?: { pr: number; environment: string; gate: string; seconds: number }[];
  /** Per environment: merged promotions, merged reverts, reverts per promotion (null without promotions). */
  revertRate: { environment: string; promotions: number; reverts: number; rate: number | null }[];
}

export interface FleetStatus {
  repository: { owner: string; repo: string; defaultBranch: string; headSha: string | null; url: string };
  generatedAt: string;
  /** Null when the status could be planned; otherwise why not (no valid configuration): everything else is empty. */
  problem: string | null;
  /** Environments in promotion-chain order, each as its clusters (or itself). */
  columns: StatusColumn[];
  components: ComponentStatus[];
  drift: DriftStatus[];
  promotions: OpenPromotionStatus[];
  baking: BakingWaveStatus[];
  frozen: FrozenScopeStatus[];
  /** The last reverts, newest first. */
  reverts: RevertStatus[];
  delivery: DeliveryMetrics;
  /** What the status does not show (e.g. versions set only by rendered overlays' bases). */
  notes: string[];
}
