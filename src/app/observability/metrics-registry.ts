/**
 * The app's Prometheus registry (served at `GET /metrics`, see docs/observability.md): process metrics and
 * Fleetward's own instruments. Every label value is bounded: event and action names, outcomes from the unions
 * below, check run names, route classes, status classes, installation ids. Never SHAs, pull request numbers,
 * user or repository names.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export type WebhookOutcome = "success" | "error";
export type PromotionOutcome = "opened" | "merged" | "superseded" | "skipped";
export type RevertOutcome = "opened" | "merged";
/** What became of an alert request: handled (acted on or nothing to do), refused (auth, bad body), error. */
export type AlertOutcome = "handled" | "refused" | "error";

/** Seconds buckets for work that takes milliseconds to tens of seconds (webhooks, policy compile/evaluation). */
export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export interface HistogramSpec<L extends string> {
  name: string;
  help: string;
  labelNames?: readonly L[];
  buckets?: number[];
}

export interface GaugeSpec<L extends string> {
  name: string;
  help: string;
  labelNames?: readonly L[];
  /** Called at every scrape before the values are read (set them here). */
  collect?: (gauge: Gauge<L>) => void | Promise<void>;
}

/** Fleetward's metrics over one prom-client registry. */
export class FleetwardMetrics {
  readonly registry = new Registry();

  readonly webhookDeliveries = this.counter("fleetward_webhook_deliveries_total", "Webhook deliveries handled, by event, action and outcome.", ["event", "action", "outcome"]);
  readonly webhookDuration = this.histogram({ name: "fleetward_webhook_duration_seconds", help: "Time to handle one webhook delivery (all handlers), by event and outcome.", labelNames: ["event", "outcome"] });
  readonly checkRuns = this.counter("fleetward_check_runs_total", "Check runs published, by check name and conclusion (\"in_progress\" while not completed).", ["name", "conclusion"]);
  readonly policyCompileDuration = this.histogram({ name: "fleetward_policy_compile_duration_seconds", help: "Time the policy sandbox spent compiling policies for one job (cache misses only)." });
  readonly policyEvaluationDuration = this.histogram({ name: "fleetward_policy_evaluation_duration_seconds", help: "Time the policy sandbox spent evaluating policies for one job." });
  readonly githubRequests = this.counter("fleetward_github_requests_total", "GitHub API requests, by route class (method and path template) and status class.", ["route", "status"]);
  readonly githubRateLimitRemaining = this.gauge({ name: "fleetward_github_rate_limit_remaining", help: "x-ratelimit-remaining of the last GitHub API response, per installation (\"app\" for app-level calls).", labelNames: ["installation"] });
  readonly promotions = this.counter("fleetward_promotion_pull_requests_total", "Promotion pull requests opened, merged, superseded, or promotions skipped.", ["outcome"]);
  readonly reverts = this.counter("fleetward_reverts_total", "Revert pull requests opened and merged.", ["outcome"]);
  readonly alerts = this.counter("fleetward_alerts_total", "Alert requests received, by source (alertmanager, grafana, generic) and outcome.", ["source", "outcome"]);

  constructor(options: { processMetrics?: boolean } = {}) {
    if (options.processMetrics !== false) collectDefaultMetrics({ register: this.registry });
  }

  /** A counter on this registry; the same one again when the name is already registered. */
  counter<L extends string>(name: string, help: string, labelNames: readonly L[] = []): Counter<L> {
    const existing = this.registry.getSingleMetric(name);
    if (existing) return existing as Counter<L>;
    return new Counter<L>({ name, help, labelNames, registers: [this.registry] });
  }

  /** A histogram (seconds, DURATION_BUCKETS unless given); the same one again when already registered. */
  histogram<L extends string = never>(spec: HistogramSpec<L>): Histogram<L> {
    const existing = this.registry.getSingleMetric(spec.name);
    if (existing) return existing as Histogram<L>;
    return new Histogram<L>({ name: spec.name, help: spec.help, labelNames: spec.labelNames ?? [], buckets: spec.buckets ?? DURATION_BUCKETS, registers: [this.registry] });
  }

  /** A gauge, optionally computed at scrape time; the same one again when already registered. */
  gauge<L extends string = never>(spec: GaugeSpec<L>): Gauge<L> {
    const existing = this.registry.getSingleMetric(spec.name);
    if (existing) return existing as Gauge<L>;
    const collect = spec.collect;
    return new Gauge<L>({
      name: spec.name,
      help: spec.help,
      labelNames: spec.labelNames ?? [],
      registers: [this.registry],
      ...(collect ? { async collect(this: Gauge<L>) { await collect(this); } } : {}),
    });
  }

  webhook(event: string, action: string | undefined, outcome: WebhookOutcome, seconds: number): void {
    this.webhookDeliveries.inc({ event, action: action ?? "", outcome });
    this.webhookDuration.observe({ event, outcome }, seconds);
  }

  checkRun(name: string, conclusion: string | undefined): void {
    this.checkRuns.inc({ name, conclusion: conclusion ?? "in_progress" });
  }

  promotion(outcome: PromotionOutcome, count = 1): void {
    if (count > 0) this.promotions.inc({ outcome }, count);
  }

  revert(outcome: RevertOutcome): void {
    this.reverts.inc({ outcome });
  }

  alert(source: string, outcome: AlertOutcome): void {
    this.alerts.inc({ source, outcome });
  }

  /** The text exposition of every metric (Prometheus text format 0.0.4). */
  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

/** The process's metrics, shared by the app's handlers, routes and the sandbox pool. */
export const metrics = new FleetwardMetrics();
