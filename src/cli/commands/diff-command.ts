/**
 * `fleetward diff --base REF [dir]`: what the checkout changes in what each Kustomize root renders, against REF: per
 * root the objects added, removed and changed (with the unified diff of their YAML), then the blast radius line, as
 * the `fleetward/render` check shows a pull request (nothing cut here).
 *
 * The head is the working tree (uncommitted changes included), the base is REF; the changed paths are
 * `git diff --name-only REF` plus untracked files. The configuration (`render:`, the fleet) is REF's, as the app uses
 * the base branch's. Exit 0, 1 when a root cannot be rendered at the head, 2 on usage errors or unreadable inputs.
 */
import { kustomizeRenderer } from "../../policy/render/kustomize-renderer.js";
import { renderDiffText } from "../../policy/render/render-check.js";
import { renderPullRequest } from "../../policy/render/render-pull-request.js";
import type { CliIO } from "../cli-io.js";
import { git, loadCheckoutConfig, parseDirAndBase, runCheckoutCommand, UsageError } from "../checkout-files.js";
import { readCheckoutRenderInputs } from "../read-checkout-render-inputs.js";

const USAGE = "usage: fleetward diff --base REF [dir]\n";

function parseArgs(args: string[]): { dir: string; base: string } {
  const { dir, base } = parseDirAndBase(args);
  if (base === undefined) throw new UsageError("--base REF is required");
  return { dir, base };
}

export function runDiffCommand(args: string[], io: CliIO): Promise<number> {
  return runCheckoutCommand("diff", USAGE, args, io, () => diff(parseArgs(args), io));
}

async function diff(options: { dir: string; base: string }, io: CliIO): Promise<number> {
  const { dir, base } = options;
  const { config } = await loadCheckoutConfig(dir, base, io, "diff");
  if (config === undefined) return 2;
  const lines = (text: string) => text.split("\n").filter((p) => p !== "");
  const changedPaths = [
    ...new Set([...lines(await git(dir, ["diff", "--name-only", "--relative", base])), ...lines(await git(dir, ["ls-files", "--others", "--exclude-standard"]))]),
  ];
  const inputs = await readCheckoutRenderInputs({ dir, base, config, changedPaths });
  if (inputs === undefined) {
    io.stderr("fleetward diff: render.kustomize is off in the configuration: nothing is rendered\n");
    return 0;
  }
  const rendered = renderPullRequest({ config, inputs, renderer: kustomizeRenderer });
  for (const p of rendered.problems) io.stderr(`${p.file}:${p.line}: ${p.severity} ${p.code}: ${p.message}\n`);
  io.stdout(renderDiffText(rendered.diffs, rendered.radius));
  return rendered.radius.failedRoots > 0 ? 1 : 0;
}
