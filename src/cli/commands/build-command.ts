/**
 * `fleetward build -e <entrypoint>… <paths>… [-o bundle.tar.gz] [--v0] [--revision R]`: compiles the Rego files under
 * the paths to one Wasm module and writes an OPA bundle as `opa build -t wasm` does (`/.manifest`, `/data.json`,
 * `/policy.wasm` and the Rego sources). JSON and YAML files under a directory path are data, placed under `data` at
 * their directory below that path; a data file given directly goes to the root. Hidden files and folders are
 * skipped. On success it prints what it wrote (path, size, entrypoints) and exits 0; 1 on compile, data or
 * entrypoint errors, 2 on usage errors.
 */
import { readdir, stat, writeFile } from "node:fs/promises";
import { basename, isAbsolute, join, normalize, sep } from "node:path";
import { buildBundle } from "../../rego/bundle/build-bundle.js";
import { isDataFileName } from "../../rego/bundle/decode-data-file.js";
import { formatDiagnostic } from "../../rego/diagnostics.js";
import type { CliIO } from "../cli-io.js";

const USAGE = "usage: fleetward build -e <entrypoint>... <paths>... [-o bundle.tar.gz] [--v0] [--revision R]\n";

interface Inputs {
  modules: Array<{ file: string; text: string }>;
  dataFiles: Array<{ file: string; dataPath: string[]; text: string }>;
}

/** The file's path inside the bundle: as given, or (absolute / outside the working directory) below the argument's name. */
function bundleName(root: string, rel: string): string {
  const given = normalize(join(root, rel));
  const fromRoot = join(basename(normalize(root)), rel);
  const chosen = isAbsolute(given) || given === ".." || given.startsWith(`..${sep}`) ? fromRoot : given;
  return chosen.split(sep).join("/");
}

async function collect(root: string, io: CliIO, into: Inputs): Promise<void> {
  const rootStat = await stat(root);
  if (!rootStat.isDirectory()) {
    const text = await io.readFile(root);
    const file = bundleName(root, "");
    if (root.endsWith(".rego")) into.modules.push({ file, text });
    else if (isDataFileName(root)) into.dataFiles.push({ file, dataPath: [], text });
    else throw new Error(`${root}: not a .rego, .json, .yaml or .yml file`);
    return;
  }
  const walk = async (rel: string[]): Promise<void> => {
    for (const name of (await readdir(join(root, ...rel))).sort()) {
      if (name.startsWith(".")) continue;
      const relPath = [...rel, name];
      const full = join(root, ...relPath);
      if ((await stat(full)).isDirectory()) await walk(relPath);
      else if (name.endsWith(".rego")) into.modules.push({ file: bundleName(root, join(...relPath)), text: await io.readFile(full) });
      else if (isDataFileName(name)) into.dataFiles.push({ file: bundleName(root, join(...relPath)), dataPath: rel, text: await io.readFile(full) });
    }
  };
  await walk([]);
}

export async function runBuildCommand(args: string[], io: CliIO): Promise<number> {
  const entrypoints: string[] = [];
  const paths: string[] = [];
  let output = "bundle.tar.gz";
  let v0 = false;
  let revision: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === "-e" || a === "--entrypoint") {
      const v = args[++i];
      if (v === undefined) return usage(io, `${a} needs an entrypoint`);
      entrypoints.push(v);
    } else if (a === "-o" || a === "--output") {
      const v = args[++i];
      if (v === undefined) return usage(io, `${a} needs a file name`);
      output = v;
    } else if (a === "--revision" || a === "-r") {
      const v = args[++i];
      if (v === undefined) return usage(io, `${a} needs a value`);
      revision = v;
    } else if (a === "--v0") v0 = true;
    else if (a === "-t" || a === "--target") {
      const v = args[++i];
      if (v !== "wasm") return usage(io, `only the wasm target is supported (got ${v ?? "nothing"})`);
    } else if (a === "-h" || a === "--help") {
      io.stdout(USAGE);
      return 0;
    } else if (a.startsWith("-") && a.length > 1) return usage(io, `unknown option ${a}`);
    else paths.push(a);
  }
  if (entrypoints.length === 0) return usage(io, "at least one entrypoint (-e) is required");
  if (paths.length === 0) return usage(io, "at least one path to Rego and data files is required");

  const inputs: Inputs = { modules: [], dataFiles: [] };
  try {
    for (const p of paths) await collect(p, io, inputs);
  } catch (e) {
    io.stderr(`fleetward build: ${(e as Error).message}\n`);
    return 1;
  }
  if (inputs.modules.length === 0) {
    io.stderr(`fleetward build: no .rego files under ${paths.join(", ")}\n`);
    return 1;
  }

  const built = buildBundle({ ...inputs, entrypoints, regoVersion: v0 ? "v0" : "v1", ...(revision === undefined ? {} : { revision }) });
  for (const d of built.diagnostics) io.stderr(formatDiagnostic(d) + "\n");
  for (const e of built.errors) io.stderr(`fleetward build: ${e.code}: ${e.message}\n`);
  if (built.bundle === undefined) return 1;
  try {
    await writeFile(output, built.bundle);
  } catch (e) {
    io.stderr(`fleetward build: cannot write ${output}: ${(e as Error).message}\n`);
    return 1;
  }
  const served = (built.manifest?.wasm ?? []).map((w) => w.entrypoint);
  io.stdout(
    `wrote ${output}: ${built.bundle.length} bytes, ${inputs.modules.length} Rego file${inputs.modules.length === 1 ? "" : "s"}, ` +
      `${inputs.dataFiles.length} data file${inputs.dataFiles.length === 1 ? "" : "s"}\nentrypoints: ${served.join(", ")}\n`,
  );
  return 0;
}

function usage(io: CliIO, why: string): number {
  io.stderr(`fleetward build: ${why}\n${USAGE}`);
  return 2;
}
