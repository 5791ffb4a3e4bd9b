import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runTestRegoCommand } from "../../src/cli/commands/test-rego-command.js";
import { runCli } from "../../src/cli/main.js";
import { captureIO } from "../helpers/capture-cli-io.js";
import { runCliCommand } from "../helpers/run-cli-command.js";
import { ensureRuntimeBuilt } from "../rego/runtime/ensure-runtime-built.js";

const run = (args: string[]) => runCliCommand(runTestRegoCommand, args);
/** Durations vary: `(1.234ms)` becomes `(D)`. */
const stable = (text: string) => text.replace(/ \((\d+(\.\d+)?(ns|µs|ms|s))\)$/gm, " (D)");

let dir: string;
beforeAll(async () => {
  ensureRuntimeBuilt();
  dir = await mkdtemp(join(tmpdir(), "fw-test-rego-"));
  await mkdir(join(dir, "ok", "limits"), { recursive: true });
  await writeFile(join(dir, "ok", "authz.rego"), "package authz\n\nallow if input.user == data.limits.admin\n");
  await writeFile(join(dir, "ok", "limits", "data.json"), JSON.stringify({ admin: "alice" }));
  await writeFile(
    join(dir, "ok", "authz_test.rego"),
    'package authz_test\n\nimport data.authz\n\ntest_admin if authz.allow with input as {"user": "alice"}\n\ntest_other if not authz.allow with input as {"user": "bob"}\n\ntodo_test_later if false\n',
  );
  await mkdir(join(dir, "bad"), { recursive: true });
  await writeFile(join(dir, "bad", "authz_test.rego"), "package bad_test\n\ntest_pass if true\n\ntest_fail if 1 / 0 == 0\n\ntest_error if v == 1 with input as {\"a\": 1, \"b\": 2}\n\nv := input.a if true\n\nv := input.b if true\n");
  await writeFile(join(dir, "broken.rego"), "package broken\n\np if {\n");
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("fleetward test-rego", () => {
  it("prints the tests that did not pass (a skipped todo_ test is one, as in OPA) and the summary, exit 0", async () => {
    const r = await run([join(dir, "ok")]);
    const file = join(dir, "ok", "authz_test.rego");
    expect({ ...r, out: stable(r.out) }).toEqual({
      code: 0,
      out: `${file}:9:\ndata.authz_test.todo_test_later: SKIPPED (D)\n${"-".repeat(80)}\nPASS: 2/3\nSKIPPED: 1/3\n`,
      err: "",
    });
  });

  it("--verbose prints every test under its file:line, as opa test -v", async () => {
    const r = await run([join(dir, "ok"), "--verbose"]);
    const file = join(dir, "ok", "authz_test.rego");
    expect(stable(r.out).split("\n")).toEqual([
      `${file}:5:`,
      "data.authz_test.test_admin: PASS (D)",
      `${file}:7:`,
      "data.authz_test.test_other: PASS (D)",
      `${file}:9:`,
      "data.authz_test.todo_test_later: SKIPPED (D)",
      "-".repeat(80),
      "PASS: 2/3",
      "SKIPPED: 1/3",
      "",
    ]);
  });

  it("prints failures and errors (with the error's message), and exits 2", async () => {
    const r = await run([join(dir, "bad")]);
    expect(r.code).toBe(2);
    const file = join(dir, "bad", "authz_test.rego");
    const lines = stable(r.out).split("\n");
    expect(lines.slice(0, 2)).toEqual([`${file}:5:`, "data.bad_test.test_fail: FAIL (D)"]);
    expect(lines.slice(2, 4)).toEqual([`${file}:7:`, "data.bad_test.test_error: ERROR (D)"]);
    // 1 / 0 is a builtin error: undefined, so the test fails (not strict); two values for v is an evaluation error.
    expect(lines[4]).toMatch(/^ {2}eval_conflict_error: /);
    expect(lines.slice(5)).toEqual(["-".repeat(80), "PASS: 1/3", "FAIL: 1/3", "ERROR: 1/3", ""]);
  });

  it("--run keeps the tests whose full name matches, and none matching is an error", async () => {
    const r = await run([join(dir, "bad"), "--run", "test_pass$"]);
    expect(r).toEqual({ code: 0, out: "PASS: 1/1\n", err: "" });
    const only = await run([join(dir, "bad"), "-r", "bad_test\\.test_f"]);
    expect(only.code).toBe(2);
    expect(stable(only.out)).toContain("data.bad_test.test_fail: FAIL (D)");
    expect(only.out).not.toContain("test_error");
    const none = await run([join(dir, "bad"), "--run", "nothing_here"]);
    expect(none.code).toBe(1);
    expect(none.err).toContain("no test cases found matching --run");
  });

  it("exits 1 with file:line diagnostics when a module does not parse, 2 on usage errors", async () => {
    const r = await run([join(dir, "broken.rego")]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(new RegExp(`${join(dir, "broken.rego").replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:\\d+:\\d+: rego_parse_error`));
    expect((await run([])).code).toBe(2);
    expect((await run([join(dir, "ok"), "--run", "("])).code).toBe(2);
    expect((await run([join(dir, "ok"), "--coverage"])).err).toContain("unknown option --coverage");
  });

  it("passes every unit test of the bundled policy library and Conftest variants (the .rego files, as policies/README.md says)", async () => {
    const regoFiles = async (root: string): Promise<string[]> =>
      (await readdir(root, { recursive: true })).filter((f) => f.endsWith(".rego")).map((f) => join(root, f));
    const files = [...(await regoFiles("policies/library")), ...(await regoFiles("policies/conftest"))];
    const r = await run(files);
    expect(r.err).toBe("");
    expect(r.out).toMatch(/^PASS: (\d+)\/\1\n$/);
    expect(Number(/PASS: (\d+)/.exec(r.out)?.[1])).toBeGreaterThan(20);
    expect(r.code).toBe(0);
  });

  it("runs through the command table", async () => {
    const io = captureIO();
    expect(await runCli(["test-rego", join(dir, "bad"), "--run", "pass"], io)).toBe(0);
    expect(io.out).toBe("PASS: 1/1\n");
  });
});

describe("fleetward --version", () => {
  it.each([["--version"], ["eval", "--version"], ["test-rego", "--version"], ["build", "-e", "x", "--version"]])("%j prints the versions", async (...argv) => {
    const io = captureIO();
    expect(await runCli(argv, io)).toBe(0);
    const pkg = (await import("../../package.json", { with: { type: "json" } })).default as { version: string };
    expect(io.out.split("\n")[0]).toBe(`fleetward ${pkg.version}`);
    expect(io.out).toMatch(/^Rego compiler: fleetward \S+, OPA Wasm ABI 1\.2$/m);
    expect(io.out).toMatch(/^Rego runtime: sha256:[0-9a-f]{16} \(\d+ bytes\)$/m);
    expect(io.out).toMatch(/^OPA Wasm SDK: @open-policy-agent\/opa-wasm \d+\.\d+\.\d+$/m);
  });
});
