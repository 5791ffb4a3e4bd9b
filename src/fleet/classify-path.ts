import type { Fleet, FleetGlob } from "./build-fleet.js";

export interface PathClassification {
  /** Environments the file belongs to (directly or through a cluster), in configuration order. */
  environments: string[];
  /** Clusters whose paths match the file, in configuration order. */
  clusters: string[];
  /** The component the file belongs to, or null (see `componentOfPath`). */
  component: string | null;
  /** Whether `manifests.include` matches the file and `manifests.exclude` does not. */
  manifest: boolean;
}

/** Repository paths as GitHub reports them: no leading `./` or `/`. */
export function normalizeRepoPath(path: string): string {
  let p = path;
  while (p.startsWith("./")) p = p.slice(2);
  while (p.startsWith("/")) p = p.slice(1);
  return p;
}

/** Adds the roots of the globs matching `path` to `into`; returns whether any matched. */
function collectMatchingRoots(globs: readonly FleetGlob[], path: string, into: string[]): boolean {
  let any = false;
  for (const g of globs) {
    // A glob can only match below its literal root; the prefix test skips most matchers cheaply.
    if (path.startsWith(g.root) && g.matcher.match(path)) {
      into.push(g.root);
      any = true;
    }
  }
  return any;
}

/**
 * The component rule: below the root of the matching glob, the first `depth` folders name the component
 * (joined by `/`); a file with fewer folders than that below the root belongs to no component.
 */
export function componentBelowRoot(path: string, root: string, depth: number): string | null {
  if (!path.startsWith(root) || path === root) return null;
  const rest = path.slice(root.length).split("/");
  // The last segment is the file itself.
  if (rest.length <= depth) return null;
  const folders = rest.slice(0, depth);
  if (folders.some((s) => s === "")) return null;
  return folders.join("/");
}

/**
 * Which environments, clusters and component a changed file belongs to. A file under a cluster's paths
 * belongs to that cluster and its environment. The component comes from the longest matching cluster root,
 * else the longest matching environment root.
 */
export function classifyPath(fleet: Fleet, path: string): PathClassification {
  const p = normalizeRepoPath(path);
  const clusterRoots: string[] = [];
  const envRoots: string[] = [];
  const clusters: string[] = [];
  const envSet = new Set<string>();
  for (const c of fleet.clusters) {
    if (!collectMatchingRoots(c.paths, p, clusterRoots)) continue;
    clusters.push(c.name);
    envSet.add(c.environment);
  }
  for (const e of fleet.environments) {
    if (collectMatchingRoots(e.paths, p, envRoots)) envSet.add(e.name);
  }
  const environments = fleet.environments.filter((e) => envSet.has(e.name)).map((e) => e.name);
  // A cluster naming an environment that does not exist still reports it, after the known ones.
  for (const name of envSet) if (!environments.includes(name)) environments.push(name);

  const longest = (roots: string[]) => [...roots].sort((a, b) => b.length - a.length)[0];
  const root = longest(clusterRoots) ?? longest(envRoots);
  const component = root === undefined ? null : componentBelowRoot(p, root, fleet.componentDepth);
  const anyMatch = (globs: readonly FleetGlob[]) => globs.some((g) => p.startsWith(g.root) && g.matcher.match(p));
  const manifest = anyMatch(fleet.manifests.include) && !anyMatch(fleet.manifests.exclude);
  return { environments, clusters, component, manifest };
}
