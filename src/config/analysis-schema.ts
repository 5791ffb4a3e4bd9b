/**
 * The `analyses:` section of `.github/fleetward.yml`: named Prometheus measurements taken while a wave or an
 * environment bakes (as Argo Rollouts' AnalysisRuns: `interval`, `count`, `failureLimit`), and the inheritable
 * `settings.analysis.server` that names, per environment or cluster, which Prometheus to ask. Server names only:
 * their URLs and credentials live on the app's side (`FLEETWARD_PROMETHEUS_SERVERS`), so a repository can never
 * make the app fetch an address of its choosing. Without the section nothing changes (older files stay valid).
 *
 * This file must not import `schema.ts` (which imports it).
 */
import { z } from "zod";
import { durationSchema } from "./duration-schema.js";

/** `< 0.01`, `<= 5`, `> 0.99`, `>= 1e-3`: the value each measurement must satisfy. */
export const THRESHOLD_RE = /^\s*(<=|>=|<|>)\s*(-?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?)\s*$/i;

const SERVER_NAME_RE = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

const serverName = z
  .string()
  .regex(SERVER_NAME_RE, { error: "server names use letters, digits, '-', '_' and '.' (at most 63), e.g. `prod-eu`" })
  .meta({ title: "server name", description: "The name of a Prometheus server the app defines (`FLEETWARD_PROMETHEUS_SERVERS`)." });

const DESCRIPTIONS = {
  section:
    "Analyses: Prometheus queries measured while a wave or environment bakes; the next wave or promotion waits for them (see docs/promotion.md#analysis). Default none.",
  name: "Unique name of the analysis, e.g. `error-ratio`; shown in the `fleetward/analysis` check and the gate.",
  scopes:
    "Where it runs: environments (`staging`) or waves (`prod/canary`) whose bake it measures; an environment includes its waves.",
  query:
    "PromQL giving one value per series, templated with `{{environment}}`, `{{cluster}}` (the clusters measured, as a regex alternation `a|b` for `=~`), `{{component}}` and `{{wave}}`. Exactly one of `query` and `slo`.",
  threshold: "With `query`: the condition every series must meet, `< 0.01`, `<= 5`, `> 0.99` or `>= 1`. Exactly one of `threshold` and `range` with `query`.",
  range: "With `query`: the inclusive range every series must fall in.",
  rangeMin: "Lowest allowed value (inclusive); absent: no lower bound.",
  rangeMax: "Highest allowed value (inclusive); absent: no upper bound.",
  slo: "A Sloth-style SLO: the measurement is the error budget burn rate over `window`, which must stay below `maxBurnRate`.",
  objective: "The SLO target in percent, e.g. `99.9`.",
  errorQuery: "PromQL counting bad events per second, with `{{window}}` for the rate window, e.g. `sum(rate(http_requests_total{code=~\"5..\",cluster=~\"{{cluster}}\"}[{{window}}]))`.",
  totalQuery: "PromQL counting all events per second over `{{window}}`.",
  window: "The rate window of the SLI queries.",
  maxBurnRate: "Highest allowed burn rate (1: spending the budget exactly as fast as the objective allows; 14.4: Sloth's page-level fast burn).",
  server: "Prometheus server name for this analysis; default: `settings.analysis.server` of the measured environment or cluster.",
  interval: "Time between measurements.",
  count: "Measurements to take; the analysis passes once `count` measurements are in and the limits hold.",
  failureLimit: "Failed measurements tolerated; one more fails the analysis (0: the first failure fails it).",
  inconclusiveLimit: "Measurements without data (empty result, NaN) tolerated; one more makes the analysis inconclusive, which blocks as a failure does.",
  onError:
    "When Prometheus cannot be asked (unreachable, an error answer, an unknown server): `fail` fails the analysis closed once the errors last `errorTimeout`; `ignore` passes it with a note.",
  errorTimeout: "How long Prometheus may keep failing before `onError` applies.",
  onFailure:
    "When the analysis fails (a measurement breached the condition beyond `failureLimit`): `halt` stops the rollout; `rollback` also opens the same revert pull request, incident and freeze as a firing alert for the scope (docs/rollback.md#analysis-rollbacks); a later passing run closes the incident.",
  settings: "Analysis settings: which Prometheus server analyses ask.",
  settingsServer: "Name of the Prometheus server (defined on the app's side) analyses of this environment or cluster ask; unset, every analysis there must name its `server`.",
} as const;

const sloSchema = z
  .strictObject({
    objective: z.number().gt(0).lt(100).describe(DESCRIPTIONS.objective),
    errorQuery: z.string().min(1).describe(DESCRIPTIONS.errorQuery),
    totalQuery: z.string().min(1).describe(DESCRIPTIONS.totalQuery),
    window: durationSchema.default("5m").describe(DESCRIPTIONS.window),
    maxBurnRate: z.number().positive().default(14.4).describe(DESCRIPTIONS.maxBurnRate),
  })
  .meta({ title: "SLO" });

const rangeSchema = z
  .strictObject({ min: z.number().optional().describe(DESCRIPTIONS.rangeMin), max: z.number().optional().describe(DESCRIPTIONS.rangeMax) })
  .refine((r) => r.min !== undefined || r.max !== undefined, { error: "a range needs `min`, `max` or both" })
  .refine((r) => r.min === undefined || r.max === undefined || r.min <= r.max, { error: "`min` is above `max`" })
  .meta({ title: "Range" });

export const analysisSchema = z
  .strictObject({
    name: z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { error: "analysis names use lowercase letters, digits and '-'" })
      .max(63)
      .describe(DESCRIPTIONS.name),
    scopes: z.array(z.string().min(1)).min(1, { error: "an analysis needs at least one scope" }).describe(DESCRIPTIONS.scopes),
    query: z.string().min(1).optional().describe(DESCRIPTIONS.query),
    threshold: z
      .string()
      .regex(THRESHOLD_RE, { error: "thresholds are a comparison and a number, e.g. `< 0.01` or `>= 0.99`" })
      .optional()
      .describe(DESCRIPTIONS.threshold),
    range: rangeSchema.optional().describe(DESCRIPTIONS.range),
    slo: sloSchema.optional().describe(DESCRIPTIONS.slo),
    server: serverName.optional().describe(DESCRIPTIONS.server),
    interval: durationSchema.default("1m").describe(DESCRIPTIONS.interval),
    count: z.int().min(1).max(100).default(5).describe(DESCRIPTIONS.count),
    failureLimit: z.int().min(0).max(100).default(0).describe(DESCRIPTIONS.failureLimit),
    inconclusiveLimit: z.int().min(0).max(100).default(0).describe(DESCRIPTIONS.inconclusiveLimit),
    onError: z.enum(["fail", "ignore"]).default("fail").describe(DESCRIPTIONS.onError),
    errorTimeout: durationSchema.default("2m").describe(DESCRIPTIONS.errorTimeout),
    onFailure: z.enum(["halt", "rollback"]).default("halt").describe(DESCRIPTIONS.onFailure),
  })
  .superRefine((a, ctx) => {
    const kinds = [a.query, a.slo].filter((x) => x !== undefined).length;
    if (kinds !== 1) ctx.addIssue({ code: "custom", message: "an analysis needs exactly one of `query` and `slo`", path: [] });
    if (a.query !== undefined && (a.threshold === undefined) === (a.range === undefined)) {
      ctx.addIssue({ code: "custom", message: "a `query` analysis needs exactly one of `threshold` and `range`", path: [] });
    }
    if (a.slo !== undefined && a.query === undefined && (a.threshold !== undefined || a.range !== undefined)) {
      ctx.addIssue({ code: "custom", message: "an `slo` analysis takes no `threshold` or `range` (it uses `slo.maxBurnRate`)", path: [] });
    }
  })
  .meta({ title: "Analysis", description: "A Prometheus measurement taken while a wave or environment bakes." });

/** The optional top-level `analyses` key (absent: no analyses; loaded configurations stay as they were). */
export const analysesSectionSchema = z.array(analysisSchema).optional().describe(DESCRIPTIONS.section);

/**
 * Spread into `settings` and into environment and cluster `settings`: optional at every level, so defaulted
 * settings of files without it stay exactly as before; `analysisServerOf` reads it.
 */
export const analysisSettingsFields = {
  analysis: z
    .strictObject({ server: serverName.optional().describe(`${DESCRIPTIONS.settingsServer} Default none.`) })
    .optional()
    .meta({ title: "Analysis settings" })
    .describe(DESCRIPTIONS.settings),
};

/** The analyses of a loaded configuration, none when the file has no `analyses`. */
export function analysesOf(config: { analyses?: AnalysisConfig[] | undefined }): AnalysisConfig[] {
  return config.analyses ?? [];
}

/** The server an analysis asks in settings `settings` (effective settings of an environment or cluster), or null. */
export function analysisServerOf(analysis: AnalysisConfig, settings: { analysis?: { server?: string | undefined } | undefined }): string | null {
  return analysis.server ?? settings.analysis?.server ?? null;
}

export type AnalysisConfig = z.output<typeof analysisSchema>;
export type AnalysisSlo = z.output<typeof sloSchema>;
