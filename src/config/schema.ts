/**
 * The one schema of `.github/fleetward.yml`. The TypeScript types, the JSON Schema in
 * `schema/fleetward.schema.json` and the README's configuration reference are all derived from it, so every
 * field carries its documentation through `.describe()`.
 */
import { z } from "zod";
import { durationSchema } from "./duration-schema.js";
import { globSchema } from "./glob-schema.js";
import { rollbackConfigSchema, rollbackSettingsShape } from "./rollback-schema.js";
import { promotionSectionSchema, promotionSettingsFields } from "./promotion-schema.js";
import { policiesSectionSchema } from "./policy-schema.js";
import { renderSectionSchema } from "./render-schema.js";
import { dashboardsSectionSchema } from "./dashboards-schema.js";
import { analysesSectionSchema, analysisSettingsFields } from "./analysis-schema.js";
import { defaultedField, fieldGroup, overrideShape, sameInBoth, settingsShape } from "./settings-fields.js";

/** zod issue `params.fleetwardCode` tells the loader which diagnostic code a custom check maps to. */
export interface FleetwardIssueParams {
  fleetwardCode: "config_invalid_duration" | "config_invalid_glob" | "config_unknown_policy";
}

const NAME_RE = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const LABEL_NAME = "[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?";
const DNS_LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const LABEL_KEY_RE = new RegExp(`^(${DNS_LABEL}(\\.${DNS_LABEL})*/)?${LABEL_NAME}$`);
const LABEL_VALUE_RE = new RegExp(`^(${LABEL_NAME})?$`);

const nameSchema = z
  .string()
  .max(63, { error: "names are at most 63 characters" })
  .regex(NAME_RE, { error: "names use lowercase letters, digits, '-' and '.', and start and end with a letter or digit" });

const enforcementSchema = z.enum(["deny", "warn", "dryrun"]);
const promotionModeSchema = z.enum(["auto", "manual"]);

const DESCRIPTIONS = {
  policy: "Policy checks of pull requests against the Rego policies.",
  enforcement:
    "What a policy violation does: `deny` fails the check run, `warn` reports it without failing, `dryrun` only records it.",
  policyTimeout:
    "Wall-clock time (duration) the policies get per check run of a pull request (`fleetward/policy`, `fleetward/policy-tests`): compiling and evaluating them, or running their tests, in the policy sandbox. A run that takes longer fails with \"exceeded the time limit\" at the test or module it was on. At least 1s, at most the server's maximum (`FLEETWARD_POLICY_TIMEOUT_MAX`, default 120s). The repository-level value applies (a value in an environment's or cluster's settings is ignored).",
  promotion: "Promotion of merged changes to the next environments by pull request.",
  mode: "`auto` opens promotion pull requests as soon as a change merges; `manual` waits for a maintainer to ask for one.",
  soakTime: "Minimum time a change must have been live in an environment before it is promoted onward (duration).",
  rollback: "Rollback of changes when an SLO alert fires.",
  autoMerge: "Merge rollback pull requests without review. Off by default: a human approves every rollback.",
  lookback: "How far back (duration) merged changes are considered as the cause of an alert.",
} as const;

/** Every inheritable setting, declared once: its schema, built-in default and description. */
const SETTINGS_FIELDS = {
  policy: fieldGroup(
    { enforcement: defaultedField(enforcementSchema, "deny", DESCRIPTIONS.enforcement), timeout: defaultedField(durationSchema, "30s", DESCRIPTIONS.policyTimeout) },
    { title: "Policy settings", description: DESCRIPTIONS.policy },
  ),
  promotion: fieldGroup(
    {
      mode: defaultedField(promotionModeSchema, "manual", DESCRIPTIONS.mode),
      soakTime: defaultedField(durationSchema, "0s", DESCRIPTIONS.soakTime),
      ...sameInBoth(promotionSettingsFields),
    },
    { title: "Promotion settings", description: DESCRIPTIONS.promotion },
  ),
  rollback: fieldGroup(
    {
      autoMerge: defaultedField(z.boolean(), false, DESCRIPTIONS.autoMerge),
      lookback: defaultedField(durationSchema, "7d", DESCRIPTIONS.lookback),
      ...sameInBoth(rollbackSettingsShape),
    },
    { title: "Rollback settings", description: DESCRIPTIONS.rollback },
  ),
  ...sameInBoth(analysisSettingsFields),
};

/** Repository-level settings, every field with its built-in default. */
export const settingsSchema = z.strictObject(settingsShape(SETTINGS_FIELDS)).meta({ title: "Settings" });

/** Environment- or cluster-level overrides: the same fields as `settingsSchema`, all optional, no defaults. */
export const settingsOverrideSchema = z.strictObject(overrideShape(SETTINGS_FIELDS)).meta({
  id: "SettingsOverride",
  title: "Settings override",
  description: "Any subset of the fields of `settings`; set fields override the inherited value (objects merge, arrays replace).",
});

export const environmentSchema = z
  .strictObject({
    name: nameSchema.describe("Unique name of the environment, e.g. `dev`, `staging`, `prod`."),
    paths: z
      .array(globSchema)
      .min(1, { error: "an environment needs at least one path glob" })
      .describe("Globs (repository-relative, minimatch) of the files that belong to this environment, e.g. `envs/dev/**`."),
    promotedFrom: z
      .string()
      .nullable()
      .default(null)
      .describe("Name of the environment this one receives promotions from; `null` for the first environment of a chain."),
    settings: settingsOverrideSchema.default({}).describe("Settings overrides for this environment and its clusters."),
  })
  .meta({ title: "Environment" });

export const clusterSchema = z
  .strictObject({
    name: nameSchema.describe("Unique name of the cluster, e.g. `prod-eu-1`."),
    environment: z.string().describe("Name of the environment the cluster belongs to."),
    labels: z
      .record(
        z.string().regex(LABEL_KEY_RE, { error: "label keys follow Kubernetes label syntax, e.g. `region` or `example.com/tier`" }),
        z
          .string({ error: "label values are strings; quote numbers and booleans, e.g. wave: \"1\"" })
          .regex(LABEL_VALUE_RE, { error: "label values are at most 63 letters, digits, '-', '_' or '.'" }),
      )
      .default({})
      .describe("Kubernetes-style labels used to select clusters, e.g. `{ region: eu, wave: \"1\" }`."),
    paths: z
      .array(globSchema)
      .default([])
      .describe("Globs of the files specific to this cluster. A file under them belongs to the cluster and to its environment."),
    settings: settingsOverrideSchema.default({}).describe("Settings overrides for this cluster."),
  })
  .meta({ title: "Cluster" });

export const fleetwardConfigSchema = z
  .strictObject({
    _extends: z
      .string()
      .optional()
      .describe(
        "Inherit from another repository's file: `repo`, `owner/repo` or `owner/repo:path/to/file.yml` (default path `.github/fleetward.yml`). This file's values win.",
      ),
    environments: z
      .array(environmentSchema)
      .default([])
      .describe("Environments, ordered from the lowest (first) to the highest (last), e.g. dev, staging, prod."),
    clusters: z.array(clusterSchema).default([]).describe("Clusters; each belongs to one environment."),
    components: z
      .strictObject({
        depth: z
          .int()
          .min(1)
          .max(8)
          .default(1)
          .describe(
            "How many folder levels below an environment's or cluster's root name a component: 1 makes `envs/dev/payments/deploy.yaml` component `payments`, 2 makes `envs/dev/team-a/payments/deploy.yaml` component `team-a/payments`.",
          ),
      })
      .prefault({})
      .meta({
        title: "Components",
        description: "How components (applications inside an environment or cluster folder) are derived from paths.",
      }),
    manifests: z
      .strictObject({
        include: z
          .array(globSchema)
          .default(["**/*.yaml", "**/*.yml"])
          .describe("Globs of the files that are Kubernetes manifests."),
        exclude: z
          .array(globSchema)
          .default([".github/**"])
          .describe("Globs of files that are never manifests, even when `include` matches."),
      })
      .prefault({})
      .meta({ title: "Manifests", description: "Which files are Kubernetes manifests." }),
    policies: policiesSectionSchema,
    render: renderSectionSchema,
    promotion: promotionSectionSchema,
    analyses: analysesSectionSchema,
    dashboards: dashboardsSectionSchema,
    rollback: rollbackConfigSchema
      .optional()
      .describe("Alert mapping rules for SLO-driven rollback (see docs/rollback.md)."),
    settings: settingsSchema
      .prefault({})
      .describe("Repository-wide settings. Environments and clusters override them; org defaults sit below them."),
  })
  .meta({ title: "Fleetward configuration", description: "The `.github/fleetward.yml` file of a GitOps repository." });

export type FleetwardConfig = z.output<typeof fleetwardConfigSchema>;
export type FleetwardConfigInput = z.input<typeof fleetwardConfigSchema>;
export type FleetwardSettings = z.output<typeof settingsSchema>;
export type SettingsOverride = z.output<typeof settingsOverrideSchema>;
export type EnvironmentConfig = z.output<typeof environmentSchema>;
export type ClusterConfig = z.output<typeof clusterSchema>;
export type PolicyEnforcement = z.output<typeof enforcementSchema>;
export type PromotionMode = z.output<typeof promotionModeSchema>;
