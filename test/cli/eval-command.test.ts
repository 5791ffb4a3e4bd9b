import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runBuildCommand } from "../../src/cli/commands/build-command.js";
import { runEvalCommand } from "../../src/cli/commands/eval-command.js";
import { captureIO } from "../helpers/capture-cli-io.js";
import { runCliCommand } from "../helpers/run-cli-command.js";
import { ensureRuntimeBuilt } from "../rego/runtime/ensure-runtime-built.js";

let dir: string;
beforeAll(async () => {
  ensureRuntimeBuilt();
  dir = await mkdtemp(join(tmpdir(), "fw-eval-"));
  await mkdir(join(dir, "src", "limits"), { recursive: true });
  await writeFile(
    join(dir, "src", "authz.rego"),
    'package authz\n\nallow if input.user == data.limits.admin\n\nroles contains r if {\n  some r in input.roles\n  r != "guest"\n}\n',
  );
  await writeFile(join(dir, "src", "limits", "data.json"), JSON.stringify({ admin: "alice" }));
  await writeFile(join(dir, "input.json"), JSON.stringify({ user: "alice", roles: ["dev", "guest", "ops"] }));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const evalOut = (args: string[]) => runCliCommand(runEvalCommand, args);

describe("fleetward eval --v0", () => {
  it("evaluates v0 modules with queries that bind variables (the generated wrapper is v0 too)", async () => {
    await writeFile(join(dir, "old.rego"), "package old\n\nnames[n] { n := input.names[_] }\ndefault ok = false\nok { count(names) > 1 }\n");
    await writeFile(join(dir, "names.json"), JSON.stringify({ names: ["a", "b"] }));
    const r = await evalOut(["--v0", "-d", join(dir, "old.rego"), "-i", join(dir, "names.json"), "x := data.old.names[_]; data.old.ok"]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out) as { result: Array<{ bindings: { x: string } }> };
    expect(out.result.map((row) => row.bindings.x).sort()).toEqual(["a", "b"]);
  });

  it("still refuses v1-only syntax in a v0 module", async () => {
    await writeFile(join(dir, "v1.rego"), "package v1\n\np contains 1 if true\n");
    const r = await evalOut(["--v0", "-d", join(dir, "v1.rego"), "data.v1.p"]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/v1\.rego:3:\d+: rego_/);
  });
});

describe("fleetward eval --format pretty", () => {
  it("prints a lone value as indented JSON, undefined as `undefined`, and bindings as a table", async () => {
    const src = join(dir, "src");
    const input = join(dir, "input.json");
    const lone = await evalOut(["-d", src, "-i", input, "--format", "pretty", "data.authz.roles"]);
    expect(lone.out).toBe('[\n  "dev",\n  "ops"\n]\n');
    const undef = await evalOut(["-d", src, "--format=pretty", "data.authz.nothing"]);
    expect(undef).toEqual({ code: 0, out: "undefined\n", err: "" });
    const rows = await evalOut(["-d", src, "-i", input, "-f", "pretty", "some r in data.authz.roles; n := count(r)"]);
    expect(rows.out).toBe(["+---+-------+", "| n | r     |", "+---+-------+", '| 3 | "dev" |', '| 3 | "ops" |', "+---+-------+", ""].join("\n"));
  });

  it("refuses an unknown format", async () => {
    const r = await evalOut(["--format", "yaml", "1"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("--format must be json or pretty");
  });
});

describe("fleetward eval -b", () => {
  let bundle: string;
  beforeAll(async () => {
    bundle = join(dir, "bundle.tar.gz");
    const io = captureIO();
    expect(await runBuildCommand(["-e", "authz/allow", "-e", "authz/roles", join(dir, "src"), "-o", bundle], io)).toBe(0);
  });

  it.each(["data.authz.allow", "data.authz.roles"])("%s from the bundle's policy.wasm equals -d of its sources", async (query) => {
    const input = join(dir, "input.json");
    const fromBundle = await evalOut(["-b", bundle, "-i", input, query]);
    const fromSources = await evalOut(["-d", join(dir, "src"), "-i", input, query]);
    expect(fromBundle.err).toBe("");
    expect(fromBundle.code).toBe(0);
    expect(JSON.parse(fromBundle.out)).toEqual(JSON.parse(fromSources.out));
    expect((JSON.parse(fromBundle.out) as { result: unknown[] }).result).toHaveLength(1);
  });

  it("compiles the bundle's sources (with its data) for a query that is not an entrypoint", async () => {
    const input = join(dir, "input.json");
    const q = "some r in data.authz.roles; data.limits.admin == input.user";
    const fromBundle = await evalOut(["-b", bundle, "-i", input, q]);
    const fromSources = await evalOut(["-d", join(dir, "src"), "-i", input, q]);
    expect(fromBundle.err).toBe("");
    expect(JSON.parse(fromBundle.out)).toEqual(JSON.parse(fromSources.out));
  });

  it("reads a bundle folder without policy.wasm by compiling its sources", async () => {
    const folder = join(dir, "bundle-folder");
    await mkdir(join(folder, "limits"), { recursive: true });
    await writeFile(join(folder, "authz.rego"), 'package authz\n\nallow if input.user == data.limits.admin\n');
    await writeFile(join(folder, "limits", "data.json"), JSON.stringify({ admin: "bob" }));
    const r = await evalOut(["-b", folder, "-i", join(dir, "input.json"), "data.authz.allow"]);
    expect(r.err).toBe("");
    expect(JSON.parse(r.out)).toEqual({});
  });

  it("names the bundle error of a file that is not a bundle", async () => {
    await writeFile(join(dir, "not-a-bundle.tar.gz"), "hello");
    const r = await evalOut(["-b", join(dir, "not-a-bundle.tar.gz"), "data.x"]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^fleetward eval: bundle_gzip_error: /);
  });
});
