import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runBuildCommand } from "../../src/cli/commands/build-command.js";
import { runCli } from "../../src/cli/main.js";
import { BundlePolicy } from "../../src/rego/bundle/bundle-policy.js";
import { readBundle } from "../../src/rego/bundle/read-bundle.js";
import { ensureRuntimeBuilt } from "../rego/runtime/ensure-runtime-built.js";

beforeAll(() => ensureRuntimeBuilt());

let dir: string;
let cwd: string;

beforeEach(async () => {
  cwd = process.cwd();
  dir = await mkdtemp(join(tmpdir(), "fleetward-build-"));
  process.chdir(dir);
  await mkdir("policy/lib", { recursive: true });
  await mkdir("policy/registries", { recursive: true });
  await mkdir("policy/.git", { recursive: true });
  await writeFile(
    "policy/images.rego",
    [
      "package k8s.images",
      "",
      "import data.k8s.lib",
      "",
      "deny contains msg if {",
      "  some c in input.spec.containers",
      "  not lib.allowed(c.image)",
      '  msg := sprintf("%s: image %s is not from an approved registry", [input.metadata.name, c.image])',
      "}",
      "",
    ].join("\n"),
  );
  await writeFile("policy/lib/allowed.rego", "package k8s.lib\n\nallowed(image) if {\n  some prefix in data.registries.allowed\n  startswith(image, prefix)\n}\n");
  await writeFile("policy/registries/list.yaml", "allowed:\n  - registry.example.com/\n");
  await writeFile("policy/owners.json", '{"owners": {"payments": "team-a"}}');
  await writeFile("policy/.git/config.json", "{not even json");
  await writeFile("policy/README.md", "not a policy");
});

afterEach(async () => {
  process.chdir(cwd);
  await rm(dir, { recursive: true, force: true });
});

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runBuildCommand(args, { stdout: (t) => out.push(t), stderr: (t) => err.push(t), readFile: (p) => readFile(p, "utf8") });
  return { code, out: out.join(""), err: err.join("") };
}

const POD = { metadata: { name: "web" }, spec: { containers: [{ image: "registry.example.com/web:1" }, { image: "docker.io/miner:2" }] } };

describe("fleetward build", () => {
  test("writes a bundle that loads and evaluates, with data at directory paths and the sources kept", async () => {
    const r = await run(["-e", "k8s/images/deny", "policy", "-o", "bundle.tar.gz", "--revision", "v1.2.3"]);
    const bytes = new Uint8Array(await readFile("bundle.tar.gz"));
    // It says what it wrote: the path, the archive's size, what went in, and the entrypoints.
    expect(r).toEqual({ code: 0, out: `wrote bundle.tar.gz: ${bytes.length} bytes, 2 Rego files, 2 data files\nentrypoints: k8s/images/deny\n`, err: "" });
    const b = readBundle(bytes);
    expect(b.manifest).toEqual({ revision: "v1.2.3", roots: [""], wasm: [{ entrypoint: "k8s/images/deny", module: "/policy.wasm" }], rego_version: 1 });
    // YAML under registries/ lands at data.registries; JSON at the root of the path merges at the root; hidden folders are skipped.
    expect(b.data).toEqual({ registries: { allowed: ["registry.example.com/"] }, owners: { payments: "team-a" } });
    expect(b.regoFiles.map((f) => f.path)).toEqual(["/policy/images.rego", "/policy/lib/allowed.rego"]);
    const policy = await BundlePolicy.load(bytes);
    expect(policy.evaluate("k8s/images/deny", POD)).toEqual([{ result: ["web: image docker.io/miner:2 is not from an approved registry"] }]);
  });

  test("runs through the command table, writes bundle.tar.gz by default and the same inputs give the same bytes", async () => {
    const quiet = { stdout: () => undefined, stderr: () => undefined, readFile: (p: string) => readFile(p, "utf8") };
    expect(await runCli(["build", "-e", "data.k8s.images.deny", "policy"], quiet)).toBe(0);
    const first = await readFile("bundle.tar.gz");
    expect(await runCli(["build", "-e", "data.k8s.images.deny", "policy", "-o", "again.tar.gz"], quiet)).toBe(0);
    expect(first.equals(await readFile("again.tar.gz"))).toBe(true);
    expect(readBundle(new Uint8Array(first)).manifest.wasm).toEqual([{ entrypoint: "k8s/images/deny", module: "/policy.wasm" }]);
  });

  test("--v0 compiles Rego v0 and records rego_version 0", async () => {
    await writeFile("legacy.rego", 'package legacy\n\ndeny[msg] {\n  input.kind == "Pod"\n  msg := "no bare pods"\n}\n');
    const r = await run(["-e", "legacy/deny", "legacy.rego", "--v0", "-o", "legacy.tar.gz"]);
    expect(r.code).toBe(0);
    const b = readBundle(new Uint8Array(await readFile("legacy.tar.gz")));
    expect(b.manifest.rego_version).toBe(0);
    expect(BundlePolicy.loadSync(b).evaluate("legacy/deny", { kind: "Pod" })).toEqual([{ result: ["no bare pods"] }]);
  });

  test("compile errors print file:line:col and exit 1 without writing a bundle", async () => {
    await writeFile("policy/broken.rego", "package k8s.broken\n\nallow if {\n  x := \n}\n");
    const r = await run(["-e", "k8s/images/deny", "policy"]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^policy\/broken\.rego:5:1: rego_parse_error: /m);
    await expect(readFile("bundle.tar.gz")).rejects.toThrow();
  });

  test("an entrypoint that names no rule exits 1 with bundle_unknown_entrypoint", async () => {
    const r = await run(["-e", "k8s/images/warn", "policy"]);
    expect(r.code).toBe(1);
    expect(r.err).toBe('fleetward build: bundle_unknown_entrypoint: entrypoint "k8s/images/warn" does not refer to a rule or package of the policies\n');
  });

  test("conflicting data files exit 1 naming the file", async () => {
    await writeFile("policy/registries/data.json", '{"allowed": ["other.example.com/"]}');
    const r = await run(["-e", "k8s/images/deny", "policy"]);
    expect(r.code).toBe(1);
    expect(r.err).toContain("bundle_data_invalid: policy/registries/list.yaml: data.registries.allowed is defined by more than one data file");
  });

  test.each([
    [["policy"], "at least one entrypoint (-e) is required"],
    [["-e", "k8s/images/deny"], "at least one path to Rego and data files is required"],
    [["-e"], "-e needs an entrypoint"],
    [["-e", "a/b", "policy", "--bogus"], "unknown option --bogus"],
    [["-e", "a/b", "policy", "-t", "plan"], "only the wasm target is supported (got plan)"],
  ])("usage errors exit 2: %j", async (args, why) => {
    const r = await run(args);
    expect(r.code).toBe(2);
    expect(r.err.split("\n")[0]).toBe(`fleetward build: ${why}`);
  });

  test("a missing path or a path without Rego exits 1", async () => {
    expect((await run(["-e", "a/b", "nowhere"])).code).toBe(1);
    await mkdir("empty");
    const r = await run(["-e", "a/b", "empty"]);
    expect(r).toEqual({ code: 1, out: "", err: "fleetward build: no .rego files under empty\n" });
  });
});
