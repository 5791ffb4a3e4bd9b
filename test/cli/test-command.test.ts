import { readFile } from "node:fs/promises";
import { runTestCommand } from "../../src/cli/commands/test-command.js";
import { ensureRuntimeBuilt } from "../rego/runtime/ensure-runtime-built.js";

beforeAll(() => ensureRuntimeBuilt());

/** Fixture paths relative to the repository root (jest's working directory), as a user would type them. */
const F = "test/fixtures/conftest-cli";

async function run(args: string[], stdin?: string): Promise<{ code: number; out: string; err: string; read: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const read: string[] = [];
  const code = await runTestCommand(args, {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    readFile: (p) => {
      read.push(p);
      if (p === "/dev/stdin") return stdin === undefined ? Promise.reject(new Error("no stdin in this test")) : Promise.resolve(stdin);
      return readFile(p, "utf8");
    },
  });
  return { code, out: out.join(""), err: err.join(""), read };
}

describe("fleetward test", () => {
  it("reports failures with their messages, warnings and exceptions, and exits 1 on failures", async () => {
    const r = await run([`${F}/inputs`, "-p", `${F}/policy`]);
    expect(r.err).toBe("");
    expect(r.out.split("\n")).toEqual([
      `FAIL - ${F}/inputs/deployment.yaml - main - web must not run as root`,
      `FAIL - ${F}/inputs/deployment.yaml - main - app uses a latest tag`,
      `EXCP - ${F}/inputs/legacy.json - main - data.main.exception[_][_] == "latest"`,
      `WARN - ${F}/inputs/service.yaml - main - services should have a team label`,
      "",
      // 3 rules (deny, deny_latest, warn) x 4 documents (service.yaml holds two).
      "12 tests, 8 passed, 1 warning, 2 failures, 1 exception",
      "",
    ]);
    expect(r.code).toBe(1);
    // The `*_test.rego` file (not even valid Rego) is never read.
    expect(r.read.some((p) => p.endsWith("main_test.rego"))).toBe(false);
  });

  it("writes Conftest's JSON with -o json", async () => {
    const r = await run([`${F}/inputs/deployment.yaml`, `${F}/inputs/legacy.json`, "-p", `${F}/policy`, "-o", "json"]);
    expect(r.code).toBe(1);
    expect(r.out.startsWith("[\n\t{")).toBe(true);
    expect(JSON.parse(r.out)).toEqual([
      {
        filename: `${F}/inputs/deployment.yaml`,
        namespace: "main",
        successes: 1,
        failures: [{ msg: "web must not run as root" }, { msg: "app uses a latest tag" }],
      },
      { filename: `${F}/inputs/legacy.json`, namespace: "main", successes: 2, exceptions: [{ msg: 'data.main.exception[_][_] == "latest"' }] },
    ]);
  });

  it("exits 1 on warnings alone only with --fail-on-warn, and 2 for failures with it", async () => {
    const plain = await run([`${F}/inputs/service.yaml`, "-p", `${F}/policy`]);
    expect(plain.out).toContain("WARN - ");
    expect(plain.code).toBe(0);
    const onWarn = await run([`${F}/inputs/service.yaml`, "-p", `${F}/policy`, "--fail-on-warn"]);
    expect(onWarn.out.split("\n").slice(-2)).toEqual(["6 tests, 5 passed, 1 warning, 0 failures, 0 exceptions", ""]);
    expect(onWarn.code).toBe(1);
    const failures = await run([`${F}/inputs`, "-p", `${F}/policy`, "--fail-on-warn"]);
    expect(failures.code).toBe(2);
    const noFail = await run([`${F}/inputs`, "-p", `${F}/policy`, "--no-fail"]);
    expect(noFail.code).toBe(0);
  });

  it("evaluates one combined input, sorted by path, with --combine", async () => {
    const r = await run([`${F}/inputs/service.yaml`, `${F}/inputs/deployment.yaml`, `${F}/inputs/legacy.json`, "-p", `${F}/policy`, "--combine", "--namespace", "combined"]);
    expect(r.err).toBe("");
    expect(r.out.split("\n")).toEqual([
      "WARN - Combined - combined - web,legacy",
      `FAIL - Combined - combined - ${F}/inputs/service.yaml holds 2 documents`,
      "",
      "2 tests, 0 passed, 1 warning, 1 failure, 0 exceptions",
      "",
    ]);
    expect(r.code).toBe(1);
  });

  it("queries every package with --all-namespaces and reports files without policies", async () => {
    const all = await run([`${F}/inputs/deployment.yaml`, "-p", `${F}/policy`, "--all-namespaces"]);
    expect(all.out).toContain(`FAIL - ${F}/inputs/deployment.yaml - main - web must not run as root`);
    // combined's rules run too, on a single document: `input` is an object, so its deny finds no array contents.
    expect(all.out).toContain(`WARN - ${F}/inputs/deployment.yaml - combined - `);
    const missing = await run([`${F}/inputs/deployment.yaml`, "-p", `${F}/policy`, "--namespace", "nothing"]);
    expect(missing.out.split("\n")).toEqual([`? - ${F}/inputs/deployment.yaml - nothing - no policies found`, "", "0 tests, 0 passed, 0 warnings, 0 failures, 0 exceptions", ""]);
    expect(missing.code).toBe(0);
  });

  it("reads standard input for -, parses Rego v0 with --rego-version v0 and rejects v0 syntax by default", async () => {
    const v0 = await run(["-", "-p", `${F}/policy-v0`, "--rego-version", "v0"], "replicas: 5\n");
    expect(v0.out.split("\n")[0]).toBe("FAIL - - main - too many replicas");
    expect(v0.code).toBe(1);
    const ok = await run(["-", "-p", `${F}/policy-v0`, "--rego-version", "v0"], "replicas: 1\n");
    expect(ok.out.split("\n").slice(-2)[0]).toBe("1 test, 1 passed, 0 warnings, 0 failures, 0 exceptions");
    expect(ok.code).toBe(0);
    const v1 = await run(["-", "-p", `${F}/policy-v0`], "replicas: 5\n");
    expect(v1.code).toBe(1);
    expect(v1.out).toBe("");
    expect(v1.err).toMatch(new RegExp(`^${F}/policy-v0/main\\.rego:3:\\d+: rego_parse_error: `));
  });

  it("merges --data files into data", async () => {
    const r = await run(["-", "-p", `${F}/policy-data`, "--data", `${F}/data`], "spec:\n  replicas: 3\n");
    expect(r.out.split("\n")[0]).toBe("FAIL - - main - replicas 3 exceed 2");
    const under = await run(["-", "-p", `${F}/policy-data`, "--data", `${F}/data`], "spec:\n  replicas: 2\n");
    expect(under.code).toBe(0);
  });

  it("reports a policy compile error with file:line and prints no results", async () => {
    const r = await run([`${F}/inputs`, "-p", `${F}/policy-broken`]);
    expect(r.code).toBe(1);
    expect(r.out).toBe("");
    expect(r.err).toBe(`${F}/policy-broken/main.rego:8:9: rego_type_error: undefined function undefined_function\n`);
  });

  it("stops with exit 1 on an evaluation error and names the input", async () => {
    const ok = await run(["-", "-p", `${F}/policy-conflict`], "low: true\n");
    expect(ok.out.split("\n")[0]).toBe("FAIL - - main - level low");
    const r = await run(["-", "-p", `${F}/policy-conflict`], "low: true\nhigh: true\n");
    expect(r.code).toBe(1);
    expect(r.out).toBe("");
    expect(r.err).toMatch(/^fleetward test: -: eval_conflict_error: /);
  });

  it("reports a YAML error with file:line:column", async () => {
    const r = await run([`${F}/bad/broken.yaml`, "-p", `${F}/policy`]);
    expect(r.code).toBe(1);
    expect(r.out).toBe("");
    expect(r.err).toMatch(new RegExp(`^fleetward test: ${F}/bad/broken\\.yaml:\\d+:\\d+: manifest_yaml_syntax: `));
  });

  it("reports object results with metadata and counts every rule body as a test", async () => {
    const r = await run(["-", "-p", `${F}/policy-object`, "-o", "json"], "image: nginx:1.27\nreplicas: 3\n");
    expect(JSON.parse(r.out)).toEqual([
      {
        filename: "",
        namespace: "main",
        // violation has two bodies (2 tests), warn_size one; only deny fired.
        successes: 3,
        failures: [{ msg: "image is not pinned", loc: { file: "x.yaml", line: "3" }, metadata: { severity: "high" } }],
      },
    ]);
    expect(r.code).toBe(1);
    const clean = await run(["-", "-p", `${F}/policy-object`], "image: nginx@sha256:abc\nreplicas: 3\n");
    expect(clean.out).toBe("\n4 tests, 4 passed, 0 warnings, 0 failures, 0 exceptions\n");
    expect(clean.code).toBe(0);
  });

  it("turns bad usage and missing paths into errors, not crashes", async () => {
    expect((await run([])).code).toBe(2);
    expect((await run([`${F}/inputs`, "-o", "xml"])).err).toContain("-o must be one of stdout, json, tap, table, junit, github (got xml)");
    expect((await run([`${F}/inputs`, "--rego-version", "v2"])).code).toBe(2);
    expect((await run([`${F}/inputs`, "--bogus"])).err).toContain("unknown option --bogus");
    const missing = await run([`${F}/nope.yaml`, "-p", `${F}/policy`]);
    expect(missing).toMatchObject({ code: 1, err: `fleetward test: ${F}/nope.yaml: no such file or directory\n` });
    // Directories are searched for YAML/JSON only (inputs/ also holds a README.txt); a named file must be one.
    const txt = await run([`${F}/inputs/README.txt`, "-p", `${F}/policy`]);
    expect(txt).toMatchObject({ code: 1, err: `fleetward test: ${F}/inputs/README.txt: unsupported file type (expected .yaml, .yml or .json, or give --parser)\n` });
    const noPolicy = await run([`${F}/inputs`, "-p", `${F}/data`]);
    expect(noPolicy).toMatchObject({ code: 1, err: `fleetward test: no policies found in ${F}/data\n` });
  });
});
