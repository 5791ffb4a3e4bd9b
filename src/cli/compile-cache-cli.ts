/**
 * How the `fleetward` commands that compile policies get the compiler. `eval`, `test`, `check` and `verify` keep
 * generated modules in the compile cache on disk (src/rego/compile-cache.ts; `--no-cache` turns it off) and load the
 * code generator (binaryen) only when a module is not in it; `build`, `conformance` and `test-rego` load it at once.
 *
 * `eval` compiles with `compileAsync`, which loads the generator when it has to. `test`, `check` and `verify` compile
 * deep inside synchronous code, so they first run with the generator unloaded and their output held back: when every
 * module came from the cache the held output is written; when one did not (`rego_compiler_not_loaded`), the output is
 * dropped, the generator loaded, and the command run again. A command reading standard input (`-`) loads it at once.
 *
 * `FLEETWARD_DEBUG=cache` writes what the cache did to stderr, e.g.
 * `fleetward test: compile cache /home/me/.cache/fleetward: 2 from the cache, 0 generated; binaryen not loaded`.
 */
import type { CliIO } from "./cli-io.js";

export type CommandRunner = (args: string[], io: CliIO) => Promise<number>;

/** Takes `--no-cache` out of the arguments. */
export function takeNoCacheOption(args: readonly string[]): { args: string[]; noCache: boolean } {
  return { args: args.filter((a) => a !== "--no-cache"), noCache: args.includes("--no-cache") };
}

function cacheDebug(env: NodeJS.ProcessEnv): boolean {
  return (env.FLEETWARD_DEBUG ?? "").split(",").some((w) => w.trim() === "cache" || w.trim() === "*");
}

/** An io whose output is kept, in order, until `flush()` writes it. */
function heldIO(io: CliIO): { io: CliIO; flush: () => void } {
  const held: Array<[keyof Pick<CliIO, "stdout" | "stderr">, string]> = [];
  return {
    io: { stdout: (t) => held.push(["stdout", t]), stderr: (t) => held.push(["stderr", t]), readFile: (p) => io.readFile(p) },
    flush: () => {
      for (const [stream, text] of held) io[stream](text);
    },
  };
}

export interface CompilingCommand {
  name: string;
  run: CommandRunner;
  args: string[];
  io: CliIO;
  /** "cached": the commands above that use the cache; "always": load the generator first, no cache. */
  mode: "cached" | "always";
  /** Whether to keep modules on disk (not for --no-cache, nor for an io other than the process's own). */
  disk: boolean;
  env?: NodeJS.ProcessEnv;
}

/** Runs a command that compiles, as the module comment says; returns its exit code (2 for a bad cache setting). */
export async function runCompilingCommand(c: CompilingCommand): Promise<number> {
  const env = c.env ?? process.env;
  const compiler = await import("../rego/compile.js");
  if (c.mode === "always") {
    await compiler.loadCompiler();
    return c.run(c.args, c.io);
  }
  const debug = cacheDebug(env) ? (line: string) => c.io.stderr(`fleetward ${c.name}: ${line}\n`) : undefined;
  let dir = "memory only";
  if (c.disk) {
    const cache = await import("../rego/compile-cache.js");
    const maxBytes = cache.cacheMaxBytesFromEnv(env);
    if (typeof maxBytes !== "number") {
      c.io.stderr(`fleetward ${c.name}: ${maxBytes.error}\n`);
      return 2;
    }
    dir = cache.cacheDirFromEnv(env);
    compiler.setCompiledModuleStore(new cache.DiskCompileStore({ dir, maxBytes, ...(debug ? { debug } : {}) }));
  }
  const before = { ...compiler.compileCounters };
  try {
    if (c.name === "eval" || compiler.compilerLoaded()) return await c.run(c.args, c.io);
    if (c.args.includes("-")) {
      await compiler.loadCompiler();
      return await c.run(c.args, c.io);
    }
    const held = heldIO(c.io);
    let outcome: { code: number } | { error: unknown };
    try {
      outcome = { code: await c.run(c.args, held.io) };
    } catch (error) {
      outcome = { error };
    }
    if (compiler.compileCounters.notLoaded === before.notLoaded) {
      held.flush();
      if ("error" in outcome) throw outcome.error;
      return outcome.code;
    }
    debug?.("a policy is not in the compile cache: loading the compiler and running again");
    await compiler.loadCompiler();
    return await c.run(c.args, c.io);
  } finally {
    compiler.setCompiledModuleStore(undefined);
    const n = compiler.compileCounters;
    debug?.(`compile cache ${dir}: ${n.fromStore - before.fromStore} from the cache, ${n.generated - before.generated} generated; binaryen ${compiler.compilerLoaded() ? "loaded" : "not loaded"}`);
  }
}
