/**
 * `fleetward check` and `fleetward test` on a generated tree (bench/check-scale-tree.ts: dev/prod/no environment,
 * multi-document, JSON and broken files, go-yaml v2 scalars, a Kustomize root, an inventory template) print exactly
 * what they printed before they were made linear and concurrent: stdout, stderr and exit code are compared byte for
 * byte with golden files made by the earlier implementation (commit c30c7ee). `UPDATE_GOLDEN=1` rewrites them
 * (only ever from a known-good implementation).
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { jest } from "@jest/globals";
import { join } from "node:path";
import { checkScaleChange, checkScaleTree } from "../../bench/check-scale-tree.js";
import { runCheckCommand } from "../../src/cli/commands/check-command.js";
import { runTestCommand } from "../../src/cli/commands/test-command.js";
import { captureIO } from "../helpers/capture-cli-io.js";
import { useTempRepo } from "../helpers/use-temp-repo.js";
import { ensureRuntimeBuilt } from "../rego/runtime/ensure-runtime-built.js";

const FILES = 400;
const GOLDEN = join(process.cwd(), "test", "cli", "golden", "check-scale");
const repo = useTempRepo("fleetward-check-scale-");

// The policies compile once per process (about 10 s of a loaded 2-core machine) before the tree is judged.
jest.setTimeout(180_000);
beforeAll(() => ensureRuntimeBuilt());

async function applyChange(change: Record<string, string | null>): Promise<void> {
  const written: Record<string, string> = {};
  for (const [path, text] of Object.entries(change)) {
    if (text === null) rmSync(join(repo.dir, path));
    else written[path] = text;
  }
  await repo.writeFiles(written);
}

/** The command's output as one text, the temporary folder replaced by `<dir>`. */
function transcript(code: number, io: { out: string; err: string }): string {
  return `exit ${code}\n--- stdout\n${io.out}--- stderr\n${io.err}`.split(repo.dir).join("<dir>");
}

function expectGolden(name: string, actual: string): void {
  const file = join(GOLDEN, `${name}.txt`);
  if (process.env.UPDATE_GOLDEN === "1") {
    mkdirSync(GOLDEN, { recursive: true });
    writeFileSync(file, actual);
  }
  expect(existsSync(file)).toBe(true);
  expect(actual).toBe(readFileSync(file, "utf8"));
}

async function check(args: string[]): Promise<string> {
  const io = captureIO();
  const code = await runCheckCommand(args, io);
  return transcript(code, io);
}

async function conftest(args: string[]): Promise<string> {
  const io = captureIO();
  const code = await runTestCommand(args, io);
  return transcript(code, io);
}

describe("check and test on a generated tree print what they printed before", () => {
  test("check: every manifest of the working tree, then the changes since main judged by main's policies", async () => {
    await repo.writeFiles(checkScaleTree({ files: FILES }));
    repo.git("init", "-q", "-b", "main");
    repo.git("add", ".");
    repo.git("commit", "-q", "-m", "base");
    const whole = await check([repo.dir]);
    expect(whole).toMatch(/^exit 1\n/);
    expect(whole).toContain("manifest_yaml_syntax");
    expectGolden("check-all", whole);

    repo.git("checkout", "-q", "-b", "change");
    await applyChange(checkScaleChange({ files: FILES, added: 20 }));
    repo.git("add", "-A");
    repo.git("commit", "-q", "-m", "change");
    // An uncommitted edit is read from the working tree, as the command documents.
    await repo.writeFiles({ "envs/dev/team-0/app-0/deploy.yaml": checkScaleTree({ files: 1 })["envs/dev/team-0/app-0/deploy.yaml"] as string });
    const changed = await check([repo.dir, "--base", "main"]);
    expect(changed).toContain("K8sDeploymentService/deployments-need-services");
    expectGolden("check-base", changed);
  });

  test("test: the outputs, namespaces, --combine, --ignore, and the error of a broken file", async () => {
    await repo.writeFiles(checkScaleTree({ files: FILES }));
    const d = repo.dir;
    const policy = join(d, "policy");
    expectGolden("test-json", await conftest([join(d, "envs"), join(d, "apps"), "-p", policy, "--ignore", "broken", "-o", "json"]));
    expectGolden("test-stdout", await conftest([join(d, "envs"), "-p", policy, "--ignore", "broken"]));
    expectGolden("test-table-all", await conftest([join(d, "apps"), "-p", policy, "--all-namespaces", "--ignore", "broken", "-o", "table"]));
    expectGolden("test-combine", await conftest([join(d, "envs", "dev"), "-p", policy, "--combine", "--ignore", "broken", "-o", "json"]));
    const broken = await conftest([join(d, "apps"), "-p", policy]);
    expect(broken).toMatch(/^exit 1\n/);
    expectGolden("test-broken", broken);
  });
});
