/**
 * Which of a commit's other files to read so that Gatekeeper's `data.inventory` (and the Namespaces a
 * `namespaceSelector` looks up) come from the repository's own manifests rather than only from the changed files.
 * Only when a usable source asks for them (`readsRepository`); bounded by `policies.gatekeeper.inventory.maxFiles`
 * (more manifest files than that: none are read, with a warning, and the changed files stand in; 0: never read,
 * no warning). Pure.
 */
import type { FleetwardConfig } from "../../config/schema.js";
import { buildFleet } from "../../fleet/build-fleet.js";
import { classifyPath } from "../../fleet/classify-path.js";
import { isPolicyPath } from "./collect-policy-sources.js";
import type { PolicyProblem, PolicySource } from "./policy-check-types.js";

export interface PickRepositoryManifestsInput {
  config: FleetwardConfig;
  /** The sources (only whether they read the repository and their problems matter). */
  sources: readonly Pick<PolicySource, "readsRepository" | "problems">[];
  /** Every file path of the commit being judged. */
  paths: Iterable<string>;
  /** Paths of the changed files (read already; not picked again). */
  changed: ReadonlySet<string>;
  /** The configuration file, named by the warning when the cap is exceeded. */
  configFile?: string;
}

export interface PickedRepositoryManifests {
  /** The unchanged manifest files to read, sorted. */
  paths: string[];
  problems: PolicyProblem[];
}

/** Whether any source that can judge (no policy errors) needs the repository's manifests. */
export function sourcesReadRepository(sources: readonly Pick<PolicySource, "readsRepository" | "problems">[]): boolean {
  return sources.some((s) => s.readsRepository === true && !s.problems.some((p) => p.severity === "error"));
}

export function pickRepositoryManifests(input: PickRepositoryManifestsInput): PickedRepositoryManifests {
  // maxFiles 0 turns the reading off: the changed files stand in, as the configuration asked.
  if (!sourcesReadRepository(input.sources) || input.config.policies.gatekeeper.inventory.maxFiles === 0) return { paths: [], problems: [] };
  const policy = isPolicyPath(input.config.policies);
  const fleet = buildFleet(input.config);
  const manifests = [...input.paths].filter((p) => !policy(p) && classifyPath(fleet, p).manifest);
  const max = input.config.policies.gatekeeper.inventory.maxFiles;
  if (manifests.length > max) {
    const problem: PolicyProblem = {
      code: "policy_inventory_too_large",
      severity: "warning",
      message:
        `data.inventory and the Namespaces of namespaceSelector come from the changed files only: the commit has ` +
        `${manifests.length} manifest files, more than policies.gatekeeper.inventory.maxFiles (${max})`,
      file: input.configFile ?? ".github/fleetward.yml",
      line: 1,
      column: 1,
    };
    return { paths: [], problems: [problem] };
  }
  return { paths: manifests.filter((p) => !input.changed.has(p)).sort(), problems: [] };
}
