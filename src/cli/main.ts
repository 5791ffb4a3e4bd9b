/**
 * The `fleetward` command: the app's engine, run locally. Each subcommand lives in `commands/` and
 * returns its exit code; nothing here exits the process except `main` itself.
 */
import { type CliIO, processIO } from "./cli-io.js";
import { armWatchdog, takeTimeoutOption, TIMED_COMMANDS } from "./cli-timeout.js";
import { versionText } from "./cli-version.js";
import { runBuildCommand } from "./commands/build-command.js";
import { runCheckCommand } from "./commands/check-command.js";
import { runConformanceCommand } from "./commands/conformance-command.js";
import { runDiffCommand } from "./commands/diff-command.js";
import { runEvalCommand } from "./commands/eval-command.js";
import { runParseCommand } from "./commands/parse-command.js";
import { runRenderCommand } from "./commands/render-command.js";
import { runTestCommand } from "./commands/test-command.js";
import { runVerifyCommand } from "./commands/verify-command.js";

type Command = { summary: string; run: (args: string[], io: CliIO) => Promise<number> };

const commands: Record<string, Command> = {
  parse: { summary: "parse Rego modules; print the AST or the diagnostics", run: runParseCommand },
  eval: { summary: "evaluate a Rego query against policies, data and input (like opa eval)", run: runEvalCommand },
  test: { summary: "test configuration files with Conftest-style policies (like conftest test)", run: runTestCommand },
  verify: { summary: "run Gatekeeper gator verify suites (kind: Suite) on Fleetward's engine", run: runVerifyCommand },
  check: { summary: "run the pull request policy check on a checkout (changes since --base REF, judged by REF's policies)", run: runCheckCommand },
  render: { summary: "build a kustomization folder as kustomize build does, in process, and print the YAML stream", run: runRenderCommand },
  diff: { summary: "print what a checkout changes in each Kustomize root's rendered objects since --base REF, and the blast radius", run: runDiffCommand },
  build: { summary: "compile Rego to Wasm and write an OPA bundle (like opa build -t wasm)", run: runBuildCommand },
  "test-rego": {
    summary: "run the test_* rules of Rego files (like opa test): PASS/FAIL, --verbose, --run regex",
    // Loaded when used, so that the other commands start without it.
    run: async (args, io) => (await import("./commands/test-rego-command.js")).runTestRegoCommand(args, io),
  },
  conformance: { summary: "run OPA's conformance test cases through the compiler and the Wasm SDK", run: runConformanceCommand },
};

function usage(): string {
  const rows = Object.entries(commands)
    .map(([name, c]) => `  ${name.padEnd(12)} ${c.summary}`)
    .join("\n");
  return (
    `Usage: fleetward <command> [options]\n\nCommands:\n${rows}\n  help         show this help\n\n` +
    `Every command takes --version (the package, compiler and runtime versions).\n` +
    `test, verify, check and eval stop with "exceeded the time limit" after --timeout D (a duration or seconds; default 30s, 0: none).\n`
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
  const disarm = io === processIO && timed.timeoutMs > 0 ? armWatchdog(name, timed.timeoutMs) : () => undefined;
  try {
    return await command.run(timed.args, io);
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
