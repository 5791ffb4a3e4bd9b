/**
 * The matrix of a fleet: components × columns (each cluster, or an environment without clusters) with the
 * versions declared at the default branch, and drift: a column whose versions differ from its source
 * environment's. Pure.
 */
import type { Fleet } from "../../fleet/build-fleet.js";
import { componentBelowRoot, normalizeRepoPath } from "../../fleet/classify-path.js";
import { rootFolders } from "../../fleet/root-folders.js";
import { ruleFor } from "../plan-promotions.js";
import type { RepositoryTree } from "../repository-tree.js";
import { treeReader } from "../repository-tree.js";
import { resolveWaves } from "../resolve-waves.js";
import type { ComponentStatus, DriftStatus, LinkedItem, StatusColumn, VersionCell, VersionValue } from "./fleet-status-types.js";
import { overlayVersions, readVersions, sameVersions, versionText } from "./read-versions.js";

/** Columns in environment order; an environment's clusters in wave order, then configuration order. */
export function statusColumns(fleet: Fleet, isFrozen: (environment: string, cluster: string | null) => boolean): StatusColumn[] {
  const columns: StatusColumn[] = [];
  for (const env of fleet.environments) {
    if (env.clusters.length === 0) {
      columns.push({ key: env.name, environment: env.name, cluster: null, wave: null, frozen: isFrozen(env.name, null) });
      continue;
    }
    const waves = resolveWaves(fleet, env.name);
    const waveOf = new Map(waves.flatMap((w) => w.clusters.map((c) => [c, w.name] as const)));
    const ordered = [...waves.flatMap((w) => w.clusters), ...env.clusters.filter((c) => !waveOf.has(c))];
    for (const cluster of ordered) columns.push({ key: cluster, environment: env.name, cluster, wave: waveOf.get(cluster) ?? null, frozen: isFrozen(env.name, cluster) });
  }
  return columns;
}

interface Folder {
  path: string;
  files: Map<string, string>;
}

/** Component → folder of each root (`env:<name>` or `cluster:<name>`), with its files relative to the folder. */
function foldersByComponent(fleet: Fleet, tree: RepositoryTree): Map<string, Map<string, Folder>> {
  const reader = treeReader(tree);
  const roots = [
    ...fleet.environments.flatMap((e) => rootFolders(fleet, { environment: e.name }).map((r) => ({ owner: `env:${e.name}`, root: r }))),
    ...fleet.clusters.flatMap((c) => rootFolders(fleet, { cluster: c.name }).map((r) => ({ owner: `cluster:${c.name}`, root: r }))),
  ];
  const out = new Map<string, Map<string, Folder>>();
  for (const raw of reader.paths) {
    const path = normalizeRepoPath(raw);
    for (const { owner, root } of roots) {
      const component = componentBelowRoot(path, root, fleet.componentDepth);
      if (component === null) continue;
      const byOwner = out.get(component) ?? new Map<string, Folder>();
      out.set(component, byOwner);
      const folderPath = `${root}${component}/`;
      const folder = byOwner.get(owner) ?? { path: folderPath, files: new Map<string, string>() };
      byOwner.set(owner, folder);
      // Only the first root of an owner that has the component counts, as promotions read it.
      if (folder.path !== folderPath) continue;
      const text = reader.read(raw);
      if (text !== undefined) folder.files.set(path.slice(folderPath.length), text);
    }
  }
  return out;
}

function cell(column: StatusColumn, shared: Folder | undefined, own: Folder | undefined, read: (folder: Folder) => VersionValue[]): VersionCell {
  if (!shared && !own) return { column: column.key, present: false, versions: [], text: "—", folder: null, drift: false };
  const versions = overlayVersions(shared ? read(shared) : [], own ? read(own) : []);
  return { column: column.key, present: true, versions, text: versionText(versions), folder: (own ?? shared)?.path ?? null, drift: false };
}

/** Where an environment's version is read for comparison: its last wave's (or any) first column that has the component. */
function referenceCell(fleet: Fleet, columns: readonly StatusColumn[], cells: readonly VersionCell[], environment: string): VersionCell | null {
  const waves = resolveWaves(fleet, environment);
  const last = waves[waves.length - 1];
  const candidates = columns
    .map((c, i) => ({ c, cell: cells[i] }))
    .filter(({ c }) => c.environment === environment && (last === undefined || c.wave === last.name || c.cluster === null));
  return candidates.find(({ cell }) => cell?.present)?.cell ?? null;
}

export interface VersionMatrix {
  components: ComponentStatus[];
  drift: DriftStatus[];
}

/**
 * Versions of every component in every column, and drift against the source environment (`promotedFrom`):
 * both present, both with versions, and different values. `openPromotion(component, environment)` links the
 * open promotion that would close the gap.
 */
export function versionMatrix(
  fleet: Fleet,
  tree: RepositoryTree,
  columns: readonly StatusColumn[],
  openPromotion: (component: string, environment: string) => LinkedItem | null,
): VersionMatrix {
  const folders = foldersByComponent(fleet, tree);
  const components: ComponentStatus[] = [];
  const drift: DriftStatus[] = [];
  for (const name of [...folders.keys()].sort()) {
    const byOwner = folders.get(name) as Map<string, Folder>;
    const rule = ruleFor(fleet, name);
    const memo = new Map<Folder, VersionValue[]>();
    const read = (folder: Folder): VersionValue[] => {
      const known = memo.get(folder);
      if (known) return known;
      const versions = readVersions(folder.files, rule);
      memo.set(folder, versions);
      return versions;
    };
    const cells = columns.map((column) => {
      const shared = byOwner.get(`env:${column.environment}`);
      const own = column.cluster === null ? undefined : byOwner.get(`cluster:${column.cluster}`);
      return cell(column, shared, own, read);
    });
    columns.forEach((column, i) => {
      const here = cells[i];
      const source = fleet.environments.find((e) => e.name === column.environment)?.promotedFrom ?? null;
      if (!here?.present || here.versions.length === 0 || source === null) return;
      const ref = referenceCell(fleet, columns, cells, source);
      if (!ref || ref.versions.length === 0 || sameVersions(ref.versions, here.versions)) return;
      here.drift = true;
      drift.push({ component: name, column: column.key, source: ref.column, sourceText: ref.text, text: here.text, promotion: openPromotion(name, column.environment) });
    });
    components.push({ component: name, strategy: rule.strategy, cells });
  }
  return { components, drift };
}
