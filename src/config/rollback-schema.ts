/**
 * Rollback configuration: the alert mapping rules (top-level `rollback:`) and the inheritable rollback settings
 * beyond `autoMerge`/`lookback` (under `settings.rollback`, overridable per environment and cluster).
 *
 * New fields are optional and carry no zod default, so a configuration that does not use them stays exactly as
 * it was; `resolveRollbackSettings` (src/rollback/resolve-rollback-settings.ts) applies the documented defaults.
 */
import { z } from "zod";
import { parseLabelMatcher } from "../rollback/parse-label-matcher.js";

/** Permissions a GitHub user can hold on a repository, lowest first. */
export const REPOSITORY_PERMISSIONS = ["none", "read", "triage", "write", "maintain", "admin"] as const;
export type RepositoryPermission = (typeof REPOSITORY_PERMISSIONS)[number];

const ALERT_LABEL_NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

const alertLabelName = z
  .string()
  .regex(ALERT_LABEL_NAME_RE, { error: "alert label names are letters, digits and '_', not starting with a digit" });

/** One label matcher in Prometheus/Alertmanager syntax, checked by `parseLabelMatcher`. */
export const labelMatcherSchema = z
  .string()
  .superRefine((text, ctx) => {
    const parsed = parseLabelMatcher(text);
    if (!parsed.ok) ctx.addIssue({ code: "custom", message: parsed.error });
  })
  .meta({
    title: "label matcher",
    description:
      'An alert label matcher: `name=value`, `name!=value`, `name=~regex` or `name!~regex` (regexes are anchored, as in Alertmanager; values may be double-quoted). A missing label counts as the empty string.',
  });

/** Where a target field (environment, cluster, component, repository) of a mapped alert comes from. */
export const labelSourceSchema = z
  .strictObject({
    label: alertLabelName
      .optional()
      .describe("Alert label whose value names the target field, e.g. `env`, `cluster`, `app`, `sloth_service`."),
    map: z
      .record(z.string(), z.string())
      .optional()
      .describe("Value map applied to the label's value, e.g. `{ production: prod }`; values not listed pass unchanged."),
    fallback: z
      .string()
      .min(1)
      .optional()
      .describe("Static value used when the alert lacks `label` (or when no `label` is set)."),
    optional: z
      .boolean()
      .optional()
      .describe(
        "When true, an alert without `label` (and no `fallback`) still maps, without this field. Default false: such an alert is reported as missing the label. Not allowed for `environment`.",
      ),
  })
  .refine((s) => s.label !== undefined || s.fallback !== undefined, { error: "set `label`, `fallback` or both" })
  .meta({ title: "Label source", description: "Reads one target field from an alert label, with a value map and a static fallback." });

export const alertRuleSchema = z
  .strictObject({
    name: z.string().min(1).max(100).optional().describe("Name of the rule, shown in explanations; defaults to `rules[<index>]`."),
    match: z
      .array(labelMatcherSchema)
      .default([])
      .describe("Matchers that must all hold for an alert to use this rule, e.g. `[\"sloth_severity=page\"]`. Empty: every alert."),
    repository: labelSourceSchema
      .optional()
      .describe("The repository (`owner/name`) the alert is for; alerts for another repository are ignored here. Unset: this repository."),
    environment: labelSourceSchema.optional().describe("The environment; unset: the environment of the cluster."),
    cluster: labelSourceSchema.optional().describe("The cluster; unset: the whole environment."),
    component: labelSourceSchema.optional().describe("The component (folder below the environment's or cluster's root); unset: every component."),
  })
  .refine((r) => r.environment !== undefined || r.cluster !== undefined, { error: "a rule needs `environment` or `cluster`" })
  .refine((r) => r.environment?.optional !== true, { error: "`environment.optional` cannot be true: every target has an environment" })
  .meta({ title: "Alert rule", description: "Maps matching alerts to a rollback target. Rules are tried in order; the first whose matchers hold wins." });

/** Top-level `rollback:`: repository-level alert mapping. */
export const rollbackConfigSchema = z
  .strictObject({
    rules: z
      .array(alertRuleSchema)
      .default([])
      .describe("Alert mapping rules, tried in order. Alerts no rule matches are acknowledged and ignored."),
  })
  .meta({ title: "Rollback", description: "How alerts map to environments, clusters and components of this repository." });

const permissionSchema = z.enum(REPOSITORY_PERMISSIONS);

const commandAccessFields = {
  permission: permissionSchema
    .optional()
    .describe("Lowest repository permission the commenter needs. Default `write`."),
  teams: z
    .array(z.string().min(1))
    .optional()
    .describe("Team slugs (`team` or `org/team`); when non-empty the commenter must belong to one."),
};

export const commandAccessSchema = z
  .strictObject(commandAccessFields)
  .meta({ title: "Command access", description: "Who may use a comment command." });

/** Fields added to `settings.rollback` (and to its overrides): all optional, defaults applied by `resolveRollbackSettings`. */
export const rollbackSettingsShape = {
  groupClusters: z
    .boolean()
    .optional()
    .describe(
      "Alerts of one notification for several clusters of the same environment make one rollback of the environment (true) or one per cluster (false). Default true.",
    ),
  labels: z
    .array(z.string().min(1).max(50))
    .optional()
    .describe("Labels of rollback pull requests. Default `[\"fleetward:rollback\"]`."),
  incidentLabels: z
    .array(z.string().min(1).max(50))
    .optional()
    .describe("Labels of incident issues besides `fleetward:incident`, which is always set. Default `[]`."),
  rollbackCommand: commandAccessSchema
    .optional()
    .describe(
      "Who may comment `/rollback`. Default: the same rule as `/promote` into the target: `write` permission and, when the environment sets `settings.promotion.promoters`, membership of one of those teams.",
    ),
  unfreezeCommand: commandAccessSchema.optional().describe("Who may comment `/unfreeze` on an incident. Default: `write` permission, no team."),
};

export type AlertRule = z.output<typeof alertRuleSchema>;
export type LabelSource = z.output<typeof labelSourceSchema>;
export type RollbackConfig = z.output<typeof rollbackConfigSchema>;
