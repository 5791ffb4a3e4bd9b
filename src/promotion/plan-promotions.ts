/**
 * The promotion planner: from the configuration, the repository at the merge commit and the merged change,
 * the promotion pull requests to open or update, each with its file changes. Pure; no GitHub access.
 */
import { createHash } from "node:crypto";
import { Minimatch } from "minimatch";
import { effectiveSettings } from "../config/effective-settings.js";
import type { ComponentPromotion } from "../config/promotion-schema.js";
import { promotionConfigOf, promotionSettingsOf } from "../config/promotion-schema.js";
import type { FleetwardSettings, PromotionMode } from "../config/schema.js";
import type { Fleet } from "../fleet/build-fleet.js";
import { GLOB_OPTIONS } from "../fleet/check-glob.js";
import { classifyPath, componentBelowRoot, normalizeRepoPath } from "../fleet/classify-path.js";
import { rootFolders } from "../fleet/root-folders.js";
import { editYamlFields } from "./edit-yaml-fields.js";
import type { FieldChange } from "./edit-yaml-fields.js";
import { formatPromotionMetadata } from "./format-promotion-metadata.js";
import { parsePromotionMetadata } from "./parse-promotion-metadata.js";
import type { PromotionHop } from "./promotion-hops.js";
import { promotionHops, resolveScope } from "./promotion-hops.js";
import type { PromotionMetadata } from "./promotion-metadata.js";
import type { PromotionScope } from "./promotion-scope.js";
import { promotionScope } from "./promotion-scope.js";
import type { RepositoryTree } from "./repository-tree.js";
import { treeReader } from "./repository-tree.js";
import { resolveWaves } from "./resolve-waves.js";

export interface MergedChange {
  /** The merge commit on the default branch. */
  sha: string;
  /** The merged pull request, or null for a direct push. */
  prNumber: number | null;
  title: string;
  author: string | null;
  /** The merged pull request's body: when it carries promotion metadata, the chain continues from it. */
  body?: string | null;
}

export type PromotionTrigger =
  | { kind: "merge" }
  /** `/promote <target> [component]`: plans the hop into `target` whatever the mode. */
  | { kind: "command"; target: string; component?: string };

export interface PlanPromotionsInput {
  fleet: Fleet;
  tree: RepositoryTree;
  /** Files the merged change added, modified or deleted. */
  changedFiles: readonly string[];
  change: MergedChange;
  trigger?: PromotionTrigger;
}

export type FileChangeKind = "add" | "modify" | "delete";

export interface LocationChange {
  /** The folder changed (ends in `/`). */
  folder: string;
  /** The cluster the folder belongs to, or null for the environment's shared folder. */
  cluster: string | null;
  /** Clusters affected: the cluster itself, or all clusters of the environment for a shared folder. */
  clusters: string[];
  files: { path: string; kind: FileChangeKind }[];
  fieldChanges: (FieldChange & { file: string })[];
}

export interface DriftEntry {
  /** Target file that differs from its source beyond the environment-specific files. */
  path: string;
  /** The source file it was compared with (null: the file exists only in the target). */
  sourcePath: string | null;
  kind: "differs" | "only-in-target" | "missing-in-target";
}

export interface PlannedPromotion {
  component: string;
  source: string;
  target: string;
  strategy: ComponentPromotion["strategy"];
  mode: PromotionMode;
  branch: string;
  title: string;
  body: string;
  metadata: PromotionMetadata;
  /** Path → new content, or null to delete the file. */
  files: Map<string, string | null>;
  locations: LocationChange[];
  drift: DriftEntry[];
  /** Clusters of the target that do not run the component and are left alone. */
  notDeployedIn: string[];
  /** Problems that did not stop the plan, e.g. a YAML file that does not parse. */
  warnings: string[];
}

export type SkipReason = "no-change" | "manual" | "no-source" | "waits-for-bake";

export interface SkippedPromotion {
  component: string;
  source: string;
  target: string;
  reason: SkipReason;
}

export interface PromotionPlan {
  promotions: PlannedPromotion[];
  skipped: SkippedPromotion[];
  /** Requests that name nothing, e.g. `/promote` to an unknown target. */
  errors: string[];
}

export const PROMOTION_BRANCH_PREFIX = "fleetward/promote/";

/** `fleetward/promote/<component>/<target>`. */
export function promotionBranch(component: string, target: string): string {
  return `${PROMOTION_BRANCH_PREFIX}${component}/${target}`;
}

interface Location {
  folder: string;
  cluster: string | null;
}

/** The clusters a scope reaches: the cluster, the wave's clusters, or every cluster of the environment. */
export function scopeClusters(fleet: Fleet, scope: PromotionScope): string[] {
  if (scope.cluster !== undefined) return [scope.cluster];
  if (scope.wave !== undefined) return resolveWaves(fleet, scope.environment).find((w) => w.name === scope.wave)?.clusters ?? [];
  return fleet.clusters.filter((c) => c.environment === scope.environment).map((c) => c.name);
}

/** Whether changes to the environment's shared folder go out with this scope: the environment, or its first wave. */
function includesShared(fleet: Fleet, scope: PromotionScope): boolean {
  if (scope.cluster !== undefined) return false;
  if (scope.wave === undefined) return true;
  return resolveWaves(fleet, scope.environment)[0]?.name === scope.wave;
}

/** The promotion rule of a component: the first `promotion.components` entry matching its name, else `copy`. */
export function ruleFor(fleet: Fleet, component: string): ComponentPromotion {
  for (const rule of promotionConfigOf(fleet.config).components) {
    if (new Minimatch(rule.match, GLOB_OPTIONS).match(component)) return rule;
  }
  return { match: "**", strategy: "copy", fields: [] };
}

function fingerprintOf(files: Map<string, string | null>): string {
  const h = createHash("sha256");
  for (const [path, content] of [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    h.update(path).update("\0").update(content === null ? "\u0001deleted" : content).update("\0");
  }
  return h.digest("hex").slice(0, 16);
}

const short = (sha: string) => sha.slice(0, 7);

class Planner {
  private readonly paths: readonly string[];
  private readonly read: (p: string) => string | undefined;
  private readonly changed: Set<string>;
  private readonly hops: PromotionHop[];

  constructor(private readonly input: PlanPromotionsInput) {
    const reader = treeReader(input.tree);
    this.paths = reader.paths.map(normalizeRepoPath);
    this.read = reader.read;
    this.changed = new Set(input.changedFiles.map(normalizeRepoPath));
    this.hops = promotionHops(input.fleet);
  }

  private filesUnder(folder: string): string[] {
    return this.paths.filter((p) => p.startsWith(folder)).sort();
  }

  private hasFiles(folder: string): boolean {
    return this.paths.some((p) => p.startsWith(folder));
  }

  private sharedFolders(scope: PromotionScope, component: string): string[] {
    return rootFolders(this.input.fleet, { environment: scope.environment, component });
  }

  private clusterFolders(cluster: string, component: string): string[] {
    return rootFolders(this.input.fleet, { cluster, component });
  }

  /**
   * Source folder: the shared folder when it has the component, else the first cluster of the scope that has
   * it. Between waves of one environment (`withinEnvironment`) the shared folder is common to both, so the
   * first cluster folder of the source wave comes first.
   */
  sourceFolder(scope: PromotionScope, component: string, withinEnvironment = false): Location | null {
    const fleet = this.input.fleet;
    const clusterFolder = (): Location | null => {
      for (const c of scope.cluster !== undefined ? [scope.cluster] : scopeClusters(fleet, scope)) {
        const f = this.clusterFolders(c, component).find((x) => this.hasFiles(x));
        if (f !== undefined) return { folder: f, cluster: c };
      }
      return null;
    };
    if (scope.cluster !== undefined || withinEnvironment) {
      const own = clusterFolder();
      if (own) return own;
    }
    const shared = this.sharedFolders(scope, component).find((f) => this.hasFiles(f));
    if (shared !== undefined) return { folder: shared, cluster: null };
    return clusterFolder();
  }

  /** Target folders: existing ones of the scope; for a component new to the target, the shared folder, else every cluster. */
  targetLocations(scope: PromotionScope, component: string): { locations: Location[]; notDeployedIn: string[] } {
    const fleet = this.input.fleet;
    const locations: Location[] = [];
    const shared = includesShared(fleet, scope) ? this.sharedFolders(scope, component) : [];
    const existingShared = shared.find((f) => this.hasFiles(f));
    if (existingShared !== undefined) locations.push({ folder: existingShared, cluster: null });
    const clusters = scopeClusters(fleet, scope);
    // Clusters run the component through the shared folder even when this scope does not change it.
    const sharedHas = this.sharedFolders(scope, component).some((f) => this.hasFiles(f));
    const notDeployedIn: string[] = [];
    for (const c of clusters) {
      const f = this.clusterFolders(c, component).find((x) => this.hasFiles(x));
      if (f !== undefined) locations.push({ folder: f, cluster: c });
      else if (!sharedHas) notDeployedIn.push(c);
    }
    if (locations.length > 0) return { locations, notDeployedIn };
    // The component is new to the whole target.
    const newShared = shared[0];
    if (newShared !== undefined) return { locations: [{ folder: newShared, cluster: null }], notDeployedIn: [] };
    const perCluster: Location[] = [];
    for (const c of clusters) {
      const folder = this.clusterFolders(c, component)[0];
      if (folder !== undefined) perCluster.push({ folder, cluster: c });
    }
    return { locations: perCluster, notDeployedIn: clusters.filter((c) => !perCluster.some((l) => l.cluster === c)) };
  }

  private settingsOf(scope: PromotionScope, location: Location | null): FleetwardSettings {
    const config = this.input.fleet.config;
    if (location?.cluster) return effectiveSettings(config, { cluster: location.cluster });
    return effectiveSettings(config, { environment: scope.environment });
  }

  /** The requests (component, hop) the trigger asks for. */
  requests(errors: string[]): { component: string; hop: PromotionHop }[] {
    const fleet = this.input.fleet;
    const trigger = this.input.trigger ?? { kind: "merge" };
    const out: { component: string; hop: PromotionHop }[] = [];
    const seen = new Set<string>();
    const add = (component: string, hop: PromotionHop) => {
      const key = `${component}\0${promotionScope(hop.to)}`;
      if (seen.has(key)) return;
      seen.add(key);
      out.push({ component, hop });
    };
    if (trigger.kind === "command") {
      const to = resolveScope(fleet, trigger.target);
      if (!to) {
        errors.push(`unknown promotion target "${trigger.target}": name an environment, a wave (environment/wave) or a cluster`);
        return out;
      }
      // A cluster target takes the hop into its wave, or into its environment.
      const intoScope = (h: PromotionHop) => promotionScope(h.to) === promotionScope(to);
      let hop = this.hops.find(intoScope);
      if (!hop && to.cluster !== undefined) {
        const wave = resolveWaves(fleet, to.environment).find((w) => w.clusters.includes(to.cluster ?? ""));
        const via = this.hops.find((h) => h.to.environment === to.environment && h.to.wave === wave?.name && h.to.cluster === undefined);
        if (via) hop = { ...via, to };
      }
      if (!hop && to.wave === undefined && to.cluster === undefined) {
        // `/promote prod` with waves: the first wave.
        hop = this.hops.find((h) => h.to.environment === to.environment && h.from.environment !== to.environment);
      }
      if (!hop) {
        errors.push(`"${trigger.target}" receives no promotions: it has no promotedFrom, wave before it or promotion path`);
        return out;
      }
      const components = trigger.component !== undefined ? [trigger.component] : this.componentsOf(hop.from);
      for (const c of components) add(c, hop);
      return out;
    }
    for (const file of this.changed) {
      const cls = classifyPath(fleet, file);
      if (cls.component === null) continue;
      for (const env of cls.environments) {
        const waves = resolveWaves(fleet, env);
        let from: PromotionScope = { environment: env };
        if (waves.length > 0) {
          const cluster = cls.clusters.find((c) => fleet.clusters.some((x) => x.name === c && x.environment === env));
          const wave = cluster === undefined ? waves[0] : waves.find((w) => w.clusters.includes(cluster));
          if (wave) from = { environment: env, wave: wave.name };
        }
        for (const hop of this.hops) if (promotionScope(hop.from) === promotionScope(from)) add(cls.component, hop);
      }
    }
    return out;
  }

  /** Components present in a scope's folders. */
  componentsOf(scope: PromotionScope): string[] {
    const fleet = this.input.fleet;
    const roots = [
      ...rootFolders(fleet, { environment: scope.environment }),
      ...scopeClusters(fleet, scope).flatMap((c) => rootFolders(fleet, { cluster: c })),
    ];
    const found = new Set<string>();
    for (const p of this.paths) {
      for (const r of roots) {
        const c = componentBelowRoot(p, r, fleet.componentDepth);
        if (c !== null) found.add(c);
      }
    }
    return [...found].sort();
  }

  plan(): PromotionPlan {
    const errors: string[] = [];
    const promotions: PlannedPromotion[] = [];
    const skipped: SkippedPromotion[] = [];
    const isCommand = this.input.trigger?.kind === "command";
    for (const { component, hop } of this.requests(errors)) {
      const source = promotionScope(hop.from);
      const target = promotionScope(hop.to);
      const skip = (reason: SkipReason) => skipped.push({ component, source, target, reason });
      if (!isCommand && hop.bake) {
        skip("waits-for-bake");
        continue;
      }
      if (!isCommand && hop.mode === "manual") {
        skip("manual");
        continue;
      }
      const planned = this.planOne(component, hop);
      if (planned === "no-source" || planned === "no-change") skip(planned);
      else promotions.push(planned);
    }
    return { promotions, skipped, errors };
  }

  private planOne(component: string, hop: PromotionHop): PlannedPromotion | "no-source" | "no-change" {
    const src = this.sourceFolder(hop.from, component, hop.from.environment === hop.to.environment);
    if (!src) return "no-source";
    const rule = ruleFor(this.input.fleet, component);
    const { locations, notDeployedIn } = this.targetLocations(hop.to, component);
    const files = new Map<string, string | null>();
    const changes: LocationChange[] = [];
    const drift: DriftEntry[] = [];
    const warnings: string[] = [];
    const srcFiles = this.filesUnder(src.folder).map((p) => p.slice(src.folder.length));
    const trackDrift = (this.input.trigger ?? { kind: "merge" }).kind === "merge";

    for (const loc of locations) {
      if (loc.folder === src.folder) continue;
      const settings = this.settingsOf(hop.to, loc);
      const specific = promotionSettingsOf(settings.promotion).environmentSpecific.map((g) => new Minimatch(g, GLOB_OPTIONS));
      const isSpecific = (rel: string) => specific.some((m) => m.match(rel));
      const tgtFiles = this.filesUnder(loc.folder).map((p) => p.slice(loc.folder.length));
      const change: LocationChange = {
        folder: loc.folder,
        cluster: loc.cluster,
        clusters: loc.cluster !== null ? [loc.cluster] : scopeClusters(this.input.fleet, { environment: hop.to.environment }),
        files: [],
        fieldChanges: [],
      };
      if (rule.strategy === "copy") {
        for (const rel of srcFiles) {
          if (isSpecific(rel)) continue;
          const content = this.read(src.folder + rel);
          if (content === undefined) continue;
          const before = this.read(loc.folder + rel);
          if (before === content) continue;
          files.set(loc.folder + rel, content);
          change.files.push({ path: loc.folder + rel, kind: before === undefined ? "add" : "modify" });
          if (trackDrift && !this.changed.has(src.folder + rel)) {
            drift.push({ path: loc.folder + rel, sourcePath: src.folder + rel, kind: before === undefined ? "missing-in-target" : "differs" });
          }
        }
        const srcSet = new Set(srcFiles);
        for (const rel of tgtFiles) {
          if (srcSet.has(rel) || isSpecific(rel)) continue;
          files.set(loc.folder + rel, null);
          change.files.push({ path: loc.folder + rel, kind: "delete" });
          if (trackDrift && !this.changed.has(src.folder + rel)) drift.push({ path: loc.folder + rel, sourcePath: null, kind: "only-in-target" });
        }
      } else {
        const matchers = rule.fields.map((f) => ({ m: new Minimatch(f.file, GLOB_OPTIONS), path: f.path }));
        for (const rel of tgtFiles) {
          const paths = matchers.filter((x) => x.m.match(rel)).map((x) => x.path);
          if (paths.length === 0) continue;
          const before = this.read(loc.folder + rel);
          const from = this.read(src.folder + rel);
          if (before === undefined) continue;
          if (from === undefined) {
            warnings.push(`${loc.folder + rel}: no ${src.folder + rel} in the source to take the fields from`);
            continue;
          }
          const edited = editYamlFields(from, before, paths);
          if (!edited.ok) {
            warnings.push(`${loc.folder + rel}: ${edited.error}`);
            continue;
          }
          if (edited.text === before) continue;
          files.set(loc.folder + rel, edited.text);
          change.files.push({ path: loc.folder + rel, kind: "modify" });
          change.fieldChanges.push(...edited.changes.map((c) => ({ ...c, file: loc.folder + rel })));
        }
      }
      if (change.files.length > 0) changes.push(change);
    }
    if (files.size === 0) return "no-change";

    const target = promotionScope(hop.to);
    const source = promotionScope(hop.from);
    const prior = parsePromotionMetadata(this.input.change.body);
    const thisHop = { from: source, to: target, pr: this.input.change.prNumber, sha: this.input.change.sha };
    const metadata: PromotionMetadata = {
      version: 1,
      component,
      source,
      target,
      origin: prior?.origin ?? { pr: this.input.change.prNumber, sha: this.input.change.sha, author: this.input.change.author },
      chain: [...(prior?.chain ?? []), thisHop],
      fingerprint: fingerprintOf(files),
    };
    const settings = this.settingsOf(hop.to, null);
    const planned: PlannedPromotion = {
      component,
      source,
      target,
      strategy: rule.strategy,
      mode: hop.mode,
      branch: promotionBranch(component, target),
      title: `Promote ${component} from ${source} to ${target}${metadata.origin.pr === null ? "" : ` (#${metadata.origin.pr})`}`,
      body: "",
      metadata,
      files,
      locations: changes,
      drift,
      notDeployedIn,
      warnings,
    };
    planned.body = promotionBody(planned, this.input.change, settings);
    return planned;
  }
}

function gateLines(settings: FleetwardSettings, source: string): string[] {
  const p = promotionSettingsOf(settings.promotion);
  const g = p.gates;
  const lines: string[] = [];
  if (g.approvals.count > 0) {
    lines.push(`- approvals: ${g.approvals.count}${g.approvals.teams.length > 0 ? ` from ${g.approvals.teams.map((t) => `@${t}`).join(", ")}` : ""}`);
  }
  if (g.soak && p.soakTime !== "0s") lines.push(`- soak: live in \`${source}\` for ${p.soakTime} with no alert firing`);
  if (g.policyCheck !== "") lines.push(`- policy: check \`${g.policyCheck}\` passes`);
  for (const w of g.windows) {
    lines.push(`- ${w.kind} window: ${w.days.join(",")} ${w.start}–${w.end} ${w.timeZone}${w.reason ? ` (${w.reason})` : ""}`);
  }
  if (g.noIncident) lines.push("- no open incident for the target");
  lines.push(`- auto-merge: ${p.autoMerge ? "on" : "off"}`);
  return lines;
}

const mdCell = (s: string) => s.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");

function promotionBody(p: PlannedPromotion, change: MergedChange, settings: FleetwardSettings): string {
  const m = p.metadata;
  const ref = (pr: number | null, sha: string) => (pr === null ? `\`${short(sha)}\`` : `#${pr} (\`${short(sha)}\`)`);
  const lines: string[] = [
    `Promotes **${p.component}** from \`${p.source}\` to \`${p.target}\` (${p.strategy === "copy" ? "copy of the component's folder" : "listed fields only"}).`,
    "",
    `Origin: ${ref(m.origin.pr, m.origin.sha)}${m.origin.author === null ? "" : ` by @${m.origin.author}`}. This hop promotes ${ref(change.prNumber, change.sha)}: ${mdCell(change.title)}.`,
    "",
    `Chain: ${[m.chain[0]?.from ?? p.source, ...m.chain.map((h) => (h.pr === null ? h.to : `${h.to} (after #${h.pr})`))].join(" → ")}`,
    "",
    "### Changes per cluster",
    "",
    "| Folder | Clusters | File | Change |",
    "| --- | --- | --- | --- |",
  ];
  for (const loc of p.locations) {
    for (const f of loc.files) {
      const fields = loc.fieldChanges.filter((c) => c.file === f.path).map((c) => `\`${c.path}\`: ${JSON.stringify(c.from)} → ${JSON.stringify(c.to)}`);
      lines.push(
        `| \`${loc.folder}\` | ${loc.clusters.join(", ") || "(none)"} | \`${mdCell(f.path.slice(loc.folder.length))}\` | ${f.kind}${fields.length > 0 ? `: ${mdCell(fields.join("; "))}` : ""} |`,
      );
    }
  }
  if (p.notDeployedIn.length > 0) lines.push("", `Not deployed in (left alone): ${p.notDeployedIn.join(", ")}.`);
  if (p.drift.length > 0) {
    lines.push("", "### Drift", "", "The target differed from the source beyond its environment-specific files; this promotion also brings these in line:", "");
    for (const d of p.drift) {
      const what = d.kind === "only-in-target" ? "exists only in the target (deleted)" : d.kind === "missing-in-target" ? "was missing in the target (added)" : `differs from \`${d.sourcePath}\``;
      lines.push(`- \`${d.path}\` ${what}`);
    }
  }
  if (p.warnings.length > 0) lines.push("", "### Warnings", "", ...p.warnings.map((w) => `- ${mdCell(w)}`));
  lines.push("", "### Gates", "", ...gateLines(settings, p.source), "", formatPromotionMetadata(m));
  return lines.join("\n");
}

/** Plans the promotion pull requests of a merged change or a `/promote` request. */
export function planPromotions(input: PlanPromotionsInput): PromotionPlan {
  return new Planner(input).plan();
}
