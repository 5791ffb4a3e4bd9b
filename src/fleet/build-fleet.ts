/**
 * The fleet model: environments and clusters of a validated configuration with their glob matchers compiled
 * once, the promotion graph resolved, and each environment's clusters listed. Pure; no GitHub access.
 */
import { Minimatch } from "minimatch";
import type { FleetwardConfig } from "../config/schema.js";
import { GLOB_OPTIONS } from "./check-glob.js";
import { globRoot } from "./glob-root.js";

/** One compiled path glob and its literal root folder. */
export interface FleetGlob {
  glob: string;
  root: string;
  matcher: Minimatch;
}

export interface FleetEnvironment {
  name: string;
  /** Position in `environments` (0 = lowest). */
  index: number;
  paths: FleetGlob[];
  promotedFrom: string | null;
  /** Environments promoted from this one, in configuration order. */
  promotesTo: string[];
  /** Clusters of this environment, in configuration order. */
  clusters: string[];
}

export interface FleetCluster {
  name: string;
  environment: string;
  labels: Record<string, string>;
  paths: FleetGlob[];
}

export interface Fleet {
  config: FleetwardConfig;
  environments: FleetEnvironment[];
  clusters: FleetCluster[];
  /** `components.depth`: folder levels below a root that name a component. */
  componentDepth: number;
  manifests: { include: FleetGlob[]; exclude: FleetGlob[] };
}

function compile(globs: readonly string[]): FleetGlob[] {
  return globs.map((glob) => ({ glob, root: globRoot(glob), matcher: new Minimatch(glob, GLOB_OPTIONS) }));
}

/** Builds the fleet of a configuration returned by `loadConfig` (duplicate names: the first one wins). */
export function buildFleet(config: FleetwardConfig): Fleet {
  const environments: FleetEnvironment[] = [];
  const byName = new Map<string, FleetEnvironment>();
  config.environments.forEach((env, index) => {
    if (byName.has(env.name)) return;
    const built: FleetEnvironment = {
      name: env.name,
      index,
      paths: compile(env.paths),
      promotedFrom: env.promotedFrom,
      promotesTo: [],
      clusters: [],
    };
    environments.push(built);
    byName.set(env.name, built);
  });
  for (const env of environments) {
    if (env.promotedFrom !== null) byName.get(env.promotedFrom)?.promotesTo.push(env.name);
  }
  const clusters: FleetCluster[] = [];
  const seen = new Set<string>();
  for (const c of config.clusters) {
    if (seen.has(c.name)) continue;
    seen.add(c.name);
    clusters.push({ name: c.name, environment: c.environment, labels: { ...c.labels }, paths: compile(c.paths) });
    byName.get(c.environment)?.clusters.push(c.name);
  }
  return {
    config,
    environments,
    clusters,
    componentDepth: config.components.depth,
    manifests: { include: compile(config.manifests.include), exclude: compile(config.manifests.exclude) },
  };
}
