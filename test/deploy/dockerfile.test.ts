/**
 * No container engine runs on CI's machines, so the image is tested through what it is made of: the Dockerfile's
 * runtime stage must hold exactly the production install that test/app/production-install.test.ts starts (the same
 * files, `npm ci --omit=dev --ignore-scripts`, `node dist/src/app/server.js`), run as a non-root user, with no
 * HEALTHCHECK (Kubernetes probes /healthz and /readyz) and node as PID 1 (exec form, so SIGTERM reaches it).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT, RUNTIME_FILES } from "../helpers/build-app-copy.js";

interface Instruction {
  op: string;
  args: string;
}

/** Instructions per stage (comments and line continuations handled; enough of the Dockerfile syntax for this file). */
function stages(text: string): Instruction[][] {
  const joined = text.replace(/\\\n\s*/g, " ");
  const out: Instruction[][] = [];
  for (const raw of joined.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const [op = "", ...rest] = line.split(/\s+/);
    const instruction = { op: op.toUpperCase(), args: rest.join(" ") };
    if (instruction.op === "FROM") out.push([]);
    out[out.length - 1]!.push(instruction);
  }
  return out;
}

const dockerfile = stages(readFileSync(join(REPO_ROOT, "Dockerfile"), "utf8"));
const runtime = dockerfile[dockerfile.length - 1]!;

test("the image has a build stage and a runtime stage on the same Node.js major as the engines field", () => {
  expect(dockerfile).toHaveLength(2);
  const engines = (JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { engines: { node: string } }).engines.node;
  const major = /(\d+)/.exec(engines)![1];
  for (const stage of dockerfile) expect(stage[0]!.args).toMatch(new RegExp(`^node:${major}-`));
});

test("the runtime stage copies exactly the production install's files, and dist/ from the build", () => {
  const copied = runtime
    .filter((i) => i.op === "COPY")
    .flatMap((i) => {
      const parts = i.args.split(/\s+/).filter((p) => !p.startsWith("--"));
      return parts.slice(0, -1);
    })
    .map((p) => p.replace(/^\/app\//, "").replace(/^\.\//, ""));
  expect(new Set(copied)).toEqual(new Set(["dist", ...RUNTIME_FILES]));
  expect(copied).toHaveLength(new Set(copied).size);
});

test("the runtime stage installs production dependencies only, without install scripts, as the CI test does", () => {
  const installs = runtime.filter((i) => i.op === "RUN" && /\bnpm ci\b/.test(i.args));
  expect(installs).toHaveLength(1);
  expect(installs[0]!.args).toMatch(/--omit=dev/);
  expect(installs[0]!.args).toMatch(/--ignore-scripts/);
  const ciTest = readFileSync(join(REPO_ROOT, "test/app/production-install.test.ts"), "utf8");
  expect(ciTest).toMatch(/"ci", "--omit=dev", "--ignore-scripts"/);
});

test("it runs as a non-root user, node as PID 1 in exec form, no HEALTHCHECK, in production mode", () => {
  const user = runtime.filter((i) => i.op === "USER");
  expect(user.map((i) => i.args)).toEqual(["node"]);
  const cmd = runtime.filter((i) => i.op === "CMD" || i.op === "ENTRYPOINT");
  expect(cmd).toEqual([{ op: "CMD", args: '["node", "dist/src/app/server.js"]' }]);
  expect(dockerfile.flat().some((i) => i.op === "HEALTHCHECK")).toBe(false);
  const env = runtime.filter((i) => i.op === "ENV").map((i) => i.args).join(" ");
  expect(env).toMatch(/NODE_ENV=production/);
});

test(".dockerignore keeps secrets, node_modules and build output out of the build context", () => {
  const ignored = readFileSync(join(REPO_ROOT, ".dockerignore"), "utf8").split("\n").map((l) => l.trim());
  for (const entry of [".env", "*.pem", "node_modules", "dist", ".git"]) expect(ignored).toContain(entry);
});
