/**
 * The `fleetward` command: the app's engine, run locally. Each subcommand lives in `commands/` and
 * returns its exit code; nothing here exits the process except `main` itself.
 */
// First: the code generator (binaryen) is loaded on first compile, not when a command module is imported.
import "../rego/wasm/defer-compiler-loading.js";
import { type CliIO, processIO } from "./cli-io.js";
import { armWatchdog, takeTimeoutOption, TIMED_COMMANDS } from "./cli-timeout.js";
import { versionText } from "./cli-version.js";
import { type CommandRunner, runCompilingCommand, takeNoCacheOption } from "./compile-cache-cli.js";

/**
 * A command: its module is imported only when it runs (`help` and `--version` import none). `compiles`: "cached" for
 * the commands that use the compile cache (and take --no-cache), "always" for those that load the compiler at once.
 */
type Command = { summary: string; load: () => Promise<CommandRunner>; compiles?: "cached" | "always" };

const commands: Record<string, Command> = {
  parse: { summary: "parse Rego modules; print the AST or the diagnostics", load: async () => (await import("./commands/parse-command.js")).runParseCommand },
  eval: {
    summary: "evaluate a Rego query against policies, data and input (like opa eval)",
    load: async () => (await import("./commands/eval-command.js")).runEvalCommand,
    compiles: "cached",
  },
  test: {
    summary: "test configuration files with Conftest-style policies (like conftest test)",
    load: async () => (await import("./commands/test-command.js")).runTestCommand,
    compiles: "cached",
  },
  verify: {
    summary: "run Gatekeeper gator verify suites (kind: Suite) on Fleetward's engine",
    load: async () => (await import("./commands/verify-command.js")).runVerifyCommand,
    compiles: "cached",
  },
  check: {
    summary: "run the pull request policy check on a checkout (changes since --base REF, judged by REF's policies)",
    load: async () => (await import("./commands/check-command.js")).runCheckCommand,
    compiles: "cached",
  },
  render: {
    summary: "build a kustomization folder as kustomize build does, in process, and print the YAML stream",
    load: async () => (await import("./commands/render-command.js")).runRenderCommand,
  },
  diff: {
    summary: "print what a checkout changes in each Kustomize root's rendered objects since --base REF, and the blast radius",
    load: async () => (await import("./commands/diff-command.js")).runDiffCommand,
  },
  build: {
    summary: "compile Rego to Wasm and write an OPA bundle (like opa build -t wasm)",
    load: async () => (await import("./commands/build-command.js")).runBuildCommand,
    compiles: "always",
  },
  "test-rego": {
    summary: "run the test_* rules of Rego files (like opa test): PASS/FAIL, --verbose, --run regex",
    load: async () => (await import("./commands/test-rego-command.js")).runTestRegoCommand,
    compiles: "always",
  },
  conformance: {
    summary: "run OPA's conformance test cases through the compiler and the Wasm SDK",
    load: async () => (await import("./commands/conformance-command.js")).runConformanceCommand,
    compiles: "always",
  },
};

function usage(): string {
  const rows = Object.entries(commands)
    .map(([name, c]) => `  ${name.padEnd(12)} ${c.summary}`)
    .join("\n");
  return (
    `Usage: fleetward <command> [options]\n\nCommands:\n${rows}\n  help         show this help\n\n` +
    `Every command takes --version (the package, compiler and runtime versions).\n` +
    `test, verify, check and eval stop with "exceeded the time limit" after --timeout D (a duration or seconds; default 30s, 0: none).\n` +
    `test, verify, check and eval keep compiled policies in $FLEETWARD_CACHE_DIR (default ~/.cache/fleetward); --no-cache: do not.\n`
  );
}

/** Runs one command line and returns the exit code. */
export async function runCli(argv: string[], io: CliIO = processIO): Promise<number> {
  const [name, ...given] = argv;
  if (name === "--version" || name === "version" || (name !== undefined && Object.hasOwn(commands, name) && given.includes("--version"))) {
    io.stdout(versionText());
    return 0;
  }
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    io.stdout(usage());
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (!command) {
    io.stderr(`fleetward: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  // The commands that evaluate policies take --timeout; the fleetward process itself (its own stdio) arms the watchdog.
  const timed = TIMED_COMMANDS.has(name) ? takeTimeoutOption(given) : { args: given, timeoutMs: 0 };
  if ("error" in timed) {
    io.stderr(`fleetward ${name}: ${timed.error}\n`);
    return 2;
  }
  const cached = command.compiles === "cached" ? takeNoCacheOption(timed.args) : { args: timed.args, noCache: true };
  const disarm = io === processIO && timed.timeoutMs > 0 ? armWatchdog(name, timed.timeoutMs) : () => undefined;
  try {
    const run = await command.load();
    if (command.compiles === undefined) return await run(cached.args, io);
    // Only the fleetward process itself (its own stdio) keeps modules on disk: callers passing their own io do not.
    return await runCompilingCommand({ name, run, args: cached.args, io, mode: command.compiles, disk: io === processIO && !cached.noCache });
  } catch (error) {
    io.stderr(`fleetward ${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    disarm();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runCli(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
