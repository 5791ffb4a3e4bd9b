/**
 * The promotion part of `.github/fleetward.yml`: the top-level `promotion` section (per-component
 * strategies, waves, extra promotion paths) and the inheritable promotion settings (gates, auto-merge,
 * environment-specific files) that `schema.ts` spreads into `settings.promotion` and its overrides.
 *
 * This file must not import `schema.ts` (which imports it); the duration and glob types come from their own
 * files.
 */
import { z } from "zod";
import { labelSelectorSchema } from "../fleet/matches-label-selector.js";
import { durationSchema } from "./duration-schema.js";
import { globSchema } from "./glob-schema.js";
import { defaultedField, fieldGroup } from "./settings-fields.js";

/** Globs relative to a component's folder, or over component names. */
const promotionGlob = globSchema.meta({ title: "glob", description: "A minimatch glob; dotfiles match; no negation, no leading `/`, no `..`." });

const TIME_RE = /^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$/;
export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const promotionWindowSchema = z
  .strictObject({
    kind: z.enum(["allow", "deny"]).describe("`allow`: promotions may merge only inside allow windows (when any is set); `deny`: never inside this window."),
    days: z
      .array(z.enum(WEEKDAYS))
      .min(1)
      .default([...WEEKDAYS])
      .describe("Weekdays (in `timeZone`) on which the window starts: `mon` … `sun`."),
    start: z.string().regex(TIME_RE, { error: "times are HH:MM, 00:00 to 24:00" }).default("00:00").describe("Local start time, `HH:MM` (inclusive)."),
    end: z
      .string()
      .regex(TIME_RE, { error: "times are HH:MM, 00:00 to 24:00" })
      .default("24:00")
      .describe("Local end time, `HH:MM` (exclusive). An end at or before the start runs past midnight into the next day."),
    timeZone: z
      .string()
      .refine(validTimeZone, { error: "unknown IANA time zone, e.g. `Europe/Berlin` or `UTC`" })
      .default("UTC")
      .describe("IANA time zone the days and times are in, e.g. `Europe/Berlin`; daylight saving time is followed."),
    reason: z.string().optional().describe("Shown in the gate when the window blocks, e.g. `no prod changes on Friday afternoons`."),
  })
  .meta({ title: "Promotion window", description: "A weekly time window in a time zone." });

const DESCRIPTIONS = {
  autoMerge: "Merge the promotion pull request into this environment as soon as every gate passes.",
  environmentSpecific:
    "Globs, relative to a component's folder, of files that belong to the target environment and are never overwritten or deleted by a `copy` promotion, e.g. `patches/replicas.yaml`.",
  promoters:
    "Teams (`org/team-slug` or `team-slug`) whose members may `/promote` into this environment; empty: anyone with write permission.",
  gates: "Gates a promotion pull request into this environment must pass before it merges.",
  approvalsCount: "Approving reviews needed (by someone other than the author; with `teams`, only members of those teams count). Default `0` (no approvals gate).",
  approvalsTeams: "Teams (`org/team-slug` or `team-slug`) whose members' approvals count; empty: any reviewer with write access. Default none.",
  soak: "Require the change to have been live in the source for `settings.promotion.soakTime` with no alert firing there. Default `true` (no gate while `soakTime` is `0s`).",
  policyCheck: "Require the named check run (the policy check) to have succeeded on the pull request's head commit; empty: no such gate. Default `fleetward/policy`.",
  windows: "Allow and deny windows; with any `allow` window, merging is possible only inside one, and never inside a `deny` window. Default none.",
  noIncident: "Require that no incident is open for the target environment or its clusters. Default `true`.",
} as const;

const approvalsGate = fieldGroup(
  {
    count: defaultedField(z.int().min(0).max(20), 0, DESCRIPTIONS.approvalsCount),
    teams: defaultedField(z.array(z.string().min(1)), [], DESCRIPTIONS.approvalsTeams),
  },
  { title: "Approvals gate" },
  "Required approving reviews.",
);

/** The gates, declared once: with their defaults in `promotionGatesSchema`, optional in settings and overrides. */
const promotionGates = fieldGroup(
  {
    approvals: approvalsGate,
    soak: defaultedField(z.boolean(), true, DESCRIPTIONS.soak),
    policyCheck: defaultedField(z.string(), "fleetward/policy", DESCRIPTIONS.policyCheck),
    windows: defaultedField(z.array(promotionWindowSchema), [], DESCRIPTIONS.windows),
    noIncident: defaultedField(z.boolean(), true, DESCRIPTIONS.noIncident),
  },
  { title: "Promotion gates", description: DESCRIPTIONS.gates },
);

export const promotionGatesSchema = promotionGates.withDefault;

/**
 * Fields spread into `settings.promotion` and into the `promotion` object of environment and cluster
 * `settings`. They are optional at every level (so configurations without them load exactly as before);
 * `promotionSettingsOf` fills the defaults named in the descriptions.
 */
export const promotionSettingsFields = {
  autoMerge: z.boolean().optional().describe(`${DESCRIPTIONS.autoMerge} Default \`false\`.`),
  environmentSpecific: z.array(promotionGlob).optional().describe(`${DESCRIPTIONS.environmentSpecific} Default none.`),
  promoters: z.array(z.string().min(1)).optional().describe(`${DESCRIPTIONS.promoters} Default none.`),
  gates: promotionGates.override,
};

const resolvedPromotionSettingsSchema = z.object({
  mode: z.enum(["auto", "manual"]).default("manual"),
  soakTime: z.string().default("0s"),
  autoMerge: z.boolean().default(false),
  environmentSpecific: z.array(z.string()).default([]),
  promoters: z.array(z.string()).default([]),
  gates: promotionGatesSchema,
});

export type ResolvedPromotionSettings = z.output<typeof resolvedPromotionSettingsSchema>;

/** The promotion settings of effective settings (`effectiveSettings(...).promotion`) with every default filled. */
export function promotionSettingsOf(promotion: unknown): ResolvedPromotionSettings {
  return resolvedPromotionSettingsSchema.parse(promotion ?? {});
}

const FIELD_PATH_RE = /^[A-Za-z0-9_-]+(\[\])?(\.[A-Za-z0-9_-]+(\[\])?)*$/;

export const promotedFieldSchema = z
  .strictObject({
    file: promotionGlob.describe("Glob, relative to the component's folder, of the YAML files holding the field, e.g. `kustomization.yaml`."),
    path: z
      .string()
      .regex(FIELD_PATH_RE, { error: "field paths are keys joined by `.`, with `[]` after a list key, e.g. `images[].newTag`" })
      .describe(
        "Dotted path of the field; `[]` after a key walks every list element, matched between source and target by their `name` (else by position), e.g. `images[].newTag`, `image.tag`, `spec.chart.spec.version`.",
      ),
  })
  .meta({ title: "Promoted field" });

export const componentPromotionSchema = z
  .strictObject({
    match: promotionGlob.describe("Glob over component names this rule applies to, e.g. `payments` or `team-a/*`. The first matching rule wins."),
    strategy: z
      .enum(["copy", "values"])
      .default("copy")
      .describe("`copy` syncs the component's folder from source to target (keeping environment-specific files); `values` promotes only `fields`."),
    fields: z.array(promotedFieldSchema).default([]).describe("With `values`: the YAML fields to promote."),
  })
  .meta({ title: "Component promotion" });

export const waveSchema = z
  .strictObject({
    name: z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { error: "wave names use lowercase letters, digits and '-'" })
      .describe("Name of the wave, unique in its environment, e.g. `canary`; targets are written `prod/canary`."),
    clusters: z.array(z.string()).default([]).describe("Clusters of the wave by name."),
    selector: labelSelectorSchema.optional().describe("Clusters of the wave by label selector (added to `clusters`)."),
    bake: durationSchema.default("0s").describe("How long the wave runs with no alert on its clusters before the next wave opens."),
  })
  .meta({ title: "Wave", description: "An ordered group of clusters of one environment." });

export const promotionPathSchema = z
  .strictObject({
    from: z.string().describe("Source: an environment `staging` or a wave `prod/canary`."),
    to: z.string().describe("Target: an environment `prod` or a wave `prod/canary`."),
    mode: z.enum(["auto", "manual"]).optional().describe("Overrides `settings.promotion.mode` of the target for this path."),
  })
  .meta({ title: "Promotion path" });

export const promotionConfigSchema = z
  .strictObject({
    components: z
      .array(componentPromotionSchema)
      .default([])
      .describe("What moves per component; components no rule matches use `copy`."),
    waves: z
      .record(z.string(), z.array(waveSchema).min(1))
      .default({})
      .describe("Waves per environment name, in order; a cluster in no wave joins the last wave."),
    paths: z
      .array(promotionPathSchema)
      .default([])
      .describe("Extra or overriding promotion paths; by default they follow `promotedFrom` and the waves of each environment."),
  })
  .meta({ title: "Promotion", description: "How merged changes move between environments and waves." });

/** The optional top-level `promotion` key. */
export const promotionSectionSchema = promotionConfigSchema.optional();

const EMPTY_PROMOTION: PromotionConfig = { components: [], waves: {}, paths: [] };

/** The `promotion` section of a loaded configuration, empty when the file has none. */
export function promotionConfigOf(config: { promotion?: PromotionConfig | undefined }): PromotionConfig {
  return config.promotion ?? EMPTY_PROMOTION;
}

export type PromotionConfig = z.output<typeof promotionConfigSchema>;
export type PromotionGates = z.output<typeof promotionGatesSchema>;
export type PromotionWindow = z.output<typeof promotionWindowSchema>;
export type WaveConfig = z.output<typeof waveSchema>;
export type ComponentPromotion = z.output<typeof componentPromotionSchema>;
export type PromotedField = z.output<typeof promotedFieldSchema>;
