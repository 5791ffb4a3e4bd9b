/**
 * `npm run demo`: the real Fleetward app against a simulated GitHub holding a sample fleet, playing a short story
 * (policy violation, fix, merge, promotions with gates, waves with bake, an SLO alert and its resolution) with one
 * progress line per step. Then it keeps running until Ctrl-C; with `--script` it stops and exits 0, or 1 at the
 * first step whose outcome did not happen. See docs/demo.md.
 */
import { readFileSync } from "node:fs";
import { startDemoWorld, type DemoWorld } from "./demo-world.js";
import { playStory } from "./story.js";
import { StepFailed, StoryRunner } from "./story-runner.js";
import { whereToLook } from "./where-to-look.js";

export interface DemoOptions {
  script: boolean;
  stepTimeoutMs: number;
  replicas: number;
  port?: number;
}

const USAGE = `usage: npm run demo [-- --script] [--step-timeout SECONDS] [--replicas N] [--port PORT]
  --script             play the story, check every outcome, stop; exit 0, or 1 naming the step that failed
  --step-timeout S     the longest one step may wait for the app (default 45)
  --replicas N         replicas the first pull request asks for in dev (default 20; the policy allows 10)
  --port PORT          the app's port (default: a free one)`;

/** Reads the flags; throws a message for a bad one. */
export function parseDemoArgs(args: readonly string[]): DemoOptions {
  const options: DemoOptions = { script: false, stepTimeoutMs: 45_000, replicas: 20 };
  const number = (flag: string, value: string | undefined, min: number): number => {
    const n = Number(value);
    if (value === undefined || !Number.isInteger(n) || n < min) throw new Error(`${flag} needs an integer of at least ${min}, got ${value ?? "nothing"}`);
    return n;
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--script") options.script = true;
    else if (arg === "--step-timeout") options.stepTimeoutMs = number(arg, args[++i], 1) * 1000;
    else if (arg === "--replicas") options.replicas = number(arg, args[++i], 0);
    else if (arg === "--port") options.port = number(arg, args[++i], 1);
    else throw new Error(`unknown flag ${arg}`);
  }
  return options;
}

function tail(file: string, lines: number): string[] {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines);
  } catch {
    return [];
  }
}

async function main(): Promise<number> {
  let options: DemoOptions;
  try {
    options = parseDemoArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`demo: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const out = (line: string) => console.log(line);
  const startedAt = Date.now();
  const runner = new StoryRunner({ out, stepTimeoutMs: options.stepTimeoutMs, startedAt });
  let world: DemoWorld | undefined;
  // Ctrl-C at any time stops the app and the simulator gracefully: exit 0, or 1 when a --script run is cut short.
  let interrupted = false;
  const stopped = new Promise<number>((resolve) => {
    process.on("SIGINT", () => {
      if (interrupted) return resolve(130);
      interrupted = true;
      out("stopping (Ctrl-C)…");
      (world?.stop() ?? Promise.resolve()).then(
        () => resolve(options.script ? 1 : 0),
        () => resolve(1),
      );
    });
  });
  const play = async (): Promise<number> => {
    try {
      out("Fleetward demo: the real app, a simulated GitHub (every API call checked against GitHub's OpenAPI description)");
      world = await startDemoWorld(options.port !== undefined ? { port: options.port } : {});
      out(`[${runner.elapsed().padStart(6)}] started: Fleetward at ${world.appUrl}, GitHub simulator at ${world.api.baseUrl}, repository acme/fleet (dev → staging → prod-eu-1 → prod-us-1)`);
      await playStory(world, runner, { replicas: options.replicas, stepTimeoutMs: options.stepTimeoutMs });
      for (const line of whereToLook(world)) out(line);
      out("");
      out(`demo story passed: ${runner.steps} steps in ${runner.elapsed()}`);
    } catch (error) {
      if (interrupted) return stopped;
      const message = error instanceof StepFailed ? `at ${error.message}` : `with an unexpected error: ${(error as Error).stack ?? String(error)}`;
      console.error(`demo FAILED ${message}`);
      if (world) {
        console.error(`the app's last log lines (${world.logFile}):`);
        for (const line of tail(world.logFile, 30)) console.error(`  ${line}`);
      }
      await world?.stop().catch(() => {});
      return 1;
    }
    if (options.script) {
      await world.stop();
      return 0;
    }
    // From now on GitHub's (and the app's) clock follows the wall clock, so alerts posted by hand start "now".
    const running = world;
    setInterval(() => running.sim.clock.advance(1000), 1000).unref();
    out("");
    out("Fleetward and the simulated GitHub keep running; Ctrl-C stops them.");
    return stopped;
  };
  return Promise.race([play(), stopped]);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().then((code) => process.exit(code));
}
