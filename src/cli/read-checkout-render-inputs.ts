/**
 * What `fleetward check` and `fleetward diff` render, read from a checkout the way the app reads it from GitHub
 * (src/app/read-render-inputs.ts): the kustomization files of the head (the working tree) and of the base revision,
 * then the trees of the kustomizations the candidate roots reach (`renderFilesToRead`).
 */
import type { FleetwardConfig } from "../config/schema.js";
import { kustomizationFolders } from "../policy/render/find-roots.js";
import { type CommitListing, type RenderInputs, renderFilesToRead } from "../policy/render/render-pull-request.js";
import { listFiles, listRevisionFiles, readRevisionFiles, readWorktreeFiles } from "./checkout-files.js";

export async function readCheckoutRenderInputs(input: {
  dir: string;
  base?: string;
  config: FleetwardConfig;
  changedPaths: readonly string[];
  /** The working tree's files, when the caller listed them already (`listFiles(dir)`). */
  headPaths?: string[];
}): Promise<RenderInputs | undefined> {
  const { dir, base, config, changedPaths } = input;
  if (config.render.kustomize === "off") return undefined;
  const headRead = (paths: readonly string[]) => readWorktreeFiles(dir, paths);
  const baseRead = (paths: readonly string[]) => readRevisionFiles(dir, base as string, paths);
  const listed = async (paths: string[], read: (paths: readonly string[]) => Promise<Map<string, string>>): Promise<CommitListing> => ({
    paths,
    kustomizations: await read([...kustomizationFolders(paths).values()]),
  });
  const head = await listed(input.headPaths ?? (await listFiles(dir)), headRead);
  const baseListing = base !== undefined ? await listed(await listRevisionFiles(dir, base), baseRead) : undefined;
  const wanted = renderFilesToRead({ config, head, ...(baseListing !== undefined ? { base: baseListing } : {}), changedPaths });
  return {
    head: await headRead(wanted.head),
    ...(baseListing !== undefined ? { base: await baseRead(wanted.base) } : {}),
    changedPaths,
  };
}
