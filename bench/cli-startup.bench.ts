/**
 * Start-up of the `fleetward` command and the idle server (issue 17, "Lazy compiler"). Each command runs as a child
 * process of the built CLI (bin/fleetward.js → dist/), alternating with `node -e 0` in the same rounds so that machine
 * load hits all alike; the figure is the median wall time, and the ratio to `node -e 0` the one that counts
 * (acceptance: help and parse ≤ 3×, eval of a small policy from the compile cache ≤ 5×). The children's CPU time
 * (from /proc/self/stat's cutime + cstime, 10 ms ticks) is given in the note.
 *
 * The idle server: `node dist/src/app/server.js` with a GitHub App configured (dummy APP_ID, a generated key, a
 * webhook secret; no REDIS_URL) on a free port; its RSS is read from /proc each second for 5 s once /healthz answers,
 * the highest kept (acceptance: < 80 MiB before the first compile); three servers plain and three under
 * `--max-semi-space-size=1`, alternating, the median reported.
 */
import { spawn, spawnSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type BenchResult, type BenchSuite, median } from "./bench-suite.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const CLI = join(ROOT, "bin", "fleetward.js");
const ROUNDS = 15;

const POLICY = `package bench.startup

deny contains msg if {
  some c in input.spec.containers
  not startswith(c.image, "registry.example.com/")
  msg := sprintf("image %s is not from the registry", [c.image])
}
`;

/** The children's CPU time so far (user + system of waited-for children), in ms. */
function childrenCpuMs(): number {
  const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1]?.split(" ") ?? [];
  // After "pid (comm) ": state is field 3; cutime and cstime are fields 16 and 17.
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

function run(args: string[], env: NodeJS.ProcessEnv): { ms: number; cpuMs: number } {
  const cpu = childrenCpuMs();
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { env, encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return { ms, cpuMs: childrenCpuMs() - cpu };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const address = s.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** RSS (MiB) of the built server with an app configured, idle: the highest of five readings a second apart after /healthz. */
async function idleServerRssMiB(nodeFlags: string[]): Promise<number> {
  const port = await freePort();
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs1", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
  const app = { APP_ID: "1", PRIVATE_KEY: privateKey, WEBHOOK_SECRET: "bench" };
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: "warn", ...app };
  const child = spawn(process.execPath, [...nodeFlags, join(ROOT, "dist", "src", "app", "server.js")], { env, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  child.stdout.on("data", (d: Buffer) => (log += d.toString()));
  child.stderr.on("data", (d: Buffer) => (log += d.toString()));
  try {
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (Date.now() > deadline) throw new Error(`the server did not answer /healthz within 60 s:\n${log}`);
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
      if (ok) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    let kb = 0;
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 1000));
      kb = Math.max(kb, Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"))?.[1]));
    }
    return kb / 1024;
  } finally {
    child.kill("SIGKILL");
  }
}

export const cliStartupSuite: BenchSuite = {
  name: "cli-startup",
  async run(): Promise<BenchResult[]> {
    const dir = mkdtempSync(join(tmpdir(), "fleetward-startup-"));
    try {
      const policy = join(dir, "policy.rego");
      const input = join(dir, "input.json");
      writeFileSync(policy, POLICY);
      writeFileSync(input, JSON.stringify({ spec: { containers: [{ image: "docker.io/nginx" }, { image: "registry.example.com/app" }] } }));
      const env: NodeJS.ProcessEnv = { ...process.env, FLEETWARD_CACHE_DIR: join(dir, "cache") };
      delete env.FLEETWARD_DEBUG;
      const evalArgs = [CLI, "eval", "-d", policy, "-i", input, "data.bench.startup.deny"];
      const commands: Array<[string, string[]]> = [
        ["node -e 0", ["-e", "0"]],
        ["fleetward help", [CLI, "help"]],
        ["fleetward parse <file>", [CLI, "parse", policy]],
        ["fleetward eval, cached", evalArgs],
        ["fleetward eval --no-cache (compiles)", [...evalArgs, "--no-cache"]],
      ];
      run(evalArgs, env); // fills the cache
      const wall = new Map<string, number[]>(commands.map(([name]) => [name, []]));
      const cpu = new Map<string, number[]>(commands.map(([name]) => [name, []]));
      for (let round = 0; round < ROUNDS; round++) {
        for (const [name, args] of commands) {
          const r = run(args, env);
          wall.get(name)?.push(r.ms);
          cpu.get(name)?.push(r.cpuMs);
        }
      }
      const base = median(wall.get("node -e 0") ?? []);
      const results: BenchResult[] = commands.map(([name]) => {
        const ms = median(wall.get(name) ?? []);
        return {
          name: `${name}: wall time (median of ${ROUNDS}, alternating)`,
          value: ms,
          unit: "ms",
          ...(name === "node -e 0" ? {} : { ratio: ms / base, baseline: "node -e 0" }),
          note: `CPU ${median(cpu.get(name) ?? []).toFixed(0)} ms`,
        };
      });
      const idle: Array<[string, string[], number[]]> = [
        ["idle server RSS over 5 s after /healthz, app configured (no event yet)", [], []],
        ["the same under node --max-semi-space-size=1", ["--max-semi-space-size=1"], []],
      ];
      for (let round = 0; round < 3; round++) for (const [, flags, values] of idle) values.push(await idleServerRssMiB(flags));
      for (const [name, , values] of idle) {
        results.push({ name: `${name} (median of 3)`, value: median(values), unit: "MiB", note: `target < 80 MiB; runs ${values.map((v) => v.toFixed(1)).join(", ")}` });
      }
      return results;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
