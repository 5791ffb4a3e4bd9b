/** `fleetward test` with Conftest's flags: output formats, parsers, --ignore, --quiet, empty arguments, refused flags. */
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runTestCommand } from "../../src/cli/commands/test-command.js";
import { runCliCommand } from "../helpers/run-cli-command.js";
import { ensureRuntimeBuilt } from "../rego/runtime/ensure-runtime-built.js";

const F = "test/fixtures/conftest-cli";
const DEPLOY = `${F}/inputs/deployment.yaml`;
const LEGACY = `${F}/inputs/legacy.json`;
const SERVICE = `${F}/inputs/service.yaml`;

beforeAll(() => ensureRuntimeBuilt());

const run = (args: string[]) => runCliCommand(runTestCommand, args);

describe("fleetward test --output", () => {
  it("tap: a plan per file, failures not ok, then # warnings, # exceptions and # successes", async () => {
    const r = await run([DEPLOY, LEGACY, SERVICE, "-p", `${F}/policy`, "-o", "tap"]);
    expect(r.code).toBe(1);
    expect(r.out.split("\n")).toEqual([
      "1..3",
      `not ok 1 - ${DEPLOY} - main - web must not run as root`,
      `not ok 2 - ${DEPLOY} - main - app uses a latest tag`,
      "# successes",
      `ok 3 - ${DEPLOY} - main - SUCCESS`,
      "1..3",
      "# exceptions",
      `ok 1 - ${LEGACY} - main - data.main.exception[_][_] == "latest"`,
      "# successes",
      `ok 2 - ${LEGACY} - main - SUCCESS`,
      `ok 3 - ${LEGACY} - main - SUCCESS`,
      "1..6",
      "# warnings",
      `not ok 1 - ${SERVICE} - main - services should have a team label`,
      "# successes",
      ...[2, 3, 4, 5, 6].map((n) => `ok ${n} - ${SERVICE} - main - SUCCESS`),
      "",
    ]);
  });

  it("table: result, file, namespace and message columns, successes first and failures last", async () => {
    const r = await run([DEPLOY, "-p", `${F}/policy`, "--output=table"]);
    const file = DEPLOY.padEnd(DEPLOY.length);
    const w = DEPLOY.length;
    const pad = w - 4;
    const fileHeader = " ".repeat(Math.floor(pad / 2)) + "FILE" + " ".repeat(pad - Math.floor(pad / 2));
    expect(r.out.split("\n")).toEqual([
      `+---------+-${"-".repeat(w)}-+-----------+--------------------------+`,
      `| RESULT  | ${fileHeader} | NAMESPACE |         MESSAGE          |`,
      `+---------+-${"-".repeat(w)}-+-----------+--------------------------+`,
      `| success | ${file} | main      | SUCCESS                  |`,
      `| failure | ${file} | main      | web must not run as root |`,
      `| failure | ${file} | main      | app uses a latest tag    |`,
      `+---------+-${"-".repeat(w)}-+-----------+--------------------------+`,
      "",
    ]);
    expect(r.code).toBe(1);
  });

  it("junit: a testsuite per namespace, warnings and failures as <failure>, successes as plain test cases", async () => {
    const r = await run([DEPLOY, SERVICE, "-p", `${F}/policy`, "-o", "junit"]);
    const lines = r.out.split("\n");
    expect(lines.slice(0, 3)).toEqual(['<?xml version="1.0" encoding="UTF-8"?>', "<testsuites>", '\t<testsuite tests="9" failures="3" time="0.000" name="conftest.main">']);
    expect(r.out).toContain(`\t\t<testcase classname="conftest.main" name="${DEPLOY} - web must not run as root" time="0.000">\n\t\t\t<failure message="Failed" type="">web must not run as root</failure>\n\t\t</testcase>`);
    expect(r.out).toContain(`<testcase classname="conftest.main" name="${SERVICE} - services should have a team label" time="0.000">`);
    expect(r.out.match(new RegExp(`<testcase classname="conftest.main" name="${SERVICE}" time="0.000"></testcase>`, "g"))).toHaveLength(5);
    expect(lines.slice(-3)).toEqual(["\t</testsuite>", "</testsuites>", ""]);
    const hidden = await run([DEPLOY, "-p", `${F}/policy`, "-o", "junit", "--junit-hide-message"]);
    expect(hidden.out).not.toContain(" - web must not run as root\"");
  });

  it("github: a group per file with ::error/::warning/::notice commands at line 1, then the summary", async () => {
    const r = await run([DEPLOY, SERVICE, LEGACY, "-p", `${F}/policy`, "-o", "github"]);
    expect(r.out.split("\n")).toEqual([
      `::group::Testing "${DEPLOY}" against 3 policies in namespace "main"`,
      `::error file=${DEPLOY},line=1::web must not run as root`,
      `::error file=${DEPLOY},line=1::app uses a latest tag`,
      `::notice file=${DEPLOY},line=1::Number of successful checks: 1`,
      "::endgroup::",
      `::group::Testing "${SERVICE}" against 6 policies in namespace "main"`,
      `::warning file=${SERVICE},line=1::services should have a team label`,
      `::notice file=${SERVICE},line=1::Number of successful checks: 5`,
      "::endgroup::",
      `::group::Testing "${LEGACY}" against 3 policies in namespace "main"`,
      `::notice file=${LEGACY},line=1::data.main.exception[_][_] == "latest"`,
      `::notice file=${LEGACY},line=1::Number of successful checks: 2`,
      "::endgroup::",
      "12 tests, 8 passed, 1 warning, 2 failures, 1 exception",
      "",
    ]);
  });

  it("refuses an unknown format and names the known ones", async () => {
    const r = await run([DEPLOY, "-o", "sarif"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("-o must be one of stdout, json, tap, table, junit, github (got sarif)");
  });
});

describe("fleetward test flags", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "fw-conftest-"));
    await mkdir(join(dir, "in", "vendor"), { recursive: true });
    await writeFile(join(dir, "in", "app.yaml"), "kind: Deployment\nmetadata: {name: a}\nspec: {template: {spec: {containers: []}}}\n");
    await writeFile(join(dir, "in", "vendor", "lib.yaml"), "kind: Deployment\nmetadata: {name: vendored}\nspec: {template: {spec: {containers: []}}}\n");
    await writeFile(join(dir, "in", "skip-me.yaml"), "kind: Deployment\nmetadata: {name: skipped}\n");
    await writeFile(join(dir, "deploy.txt"), '{"kind": "Deployment", "metadata": {"name": "txt"}}');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("--no-color is accepted and changes nothing (Fleetward never colours)", async () => {
    const plain = await run([DEPLOY, "-p", `${F}/policy`]);
    const noColor = await run([DEPLOY, "-p", `${F}/policy`, "--no-color"]);
    expect(noColor).toEqual(plain);
    expect(plain.out).not.toContain("\u001b[");
  });

  it('skips empty file arguments ("") as Conftest does, and still needs one real input', async () => {
    const r = await run(["", DEPLOY, "", "-p", `${F}/policy`]);
    expect(r).toEqual(await run([DEPLOY, "-p", `${F}/policy`]));
    const none = await run(["", "-p", `${F}/policy`]);
    expect(none.code).toBe(2);
    expect(none.err).toContain("at least one file, directory or - is required");
  });

  it("--ignore skips the files and folders met in a directory walk that match the regular expression", async () => {
    const all = await run([join(dir, "in"), "-p", `${F}/policy`, "-o", "json"]);
    const names = (out: string) => (JSON.parse(out) as Array<{ filename: string }>).map((f) => f.filename);
    expect(names(all.out)).toEqual([join(dir, "in", "app.yaml"), join(dir, "in", "skip-me.yaml"), join(dir, "in", "vendor", "lib.yaml")]);
    const some = await run([join(dir, "in"), "-p", `${F}/policy`, "-o", "json", "--ignore", "vendor|skip-.*\\.yaml$"]);
    expect(names(some.out)).toEqual([join(dir, "in", "app.yaml")]);
    const bad = await run([join(dir, "in"), "--ignore", "(unclosed"]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("--ignore: invalid regular expression");
  });

  it("--parser json and yaml read every input with that parser, whatever its extension", async () => {
    const unknown = await run([join(dir, "deploy.txt"), "-p", `${F}/policy`]);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain("unsupported file type");
    for (const parser of ["json", "yaml"]) {
      const r = await run([join(dir, "deploy.txt"), "-p", `${F}/policy`, "--parser", parser]);
      expect(r.out).toContain(`FAIL - ${join(dir, "deploy.txt")} - main - txt must not run as root`);
    }
    const notJson = await run([SERVICE, "-p", `${F}/policy`, "--parser", "json"]);
    expect(notJson.code).toBe(1);
    expect(notJson.err).toContain(`${SERVICE}: not valid JSON`);
    const hcl = await run([SERVICE, "--parser", "hcl2"]);
    expect(hcl.code).toBe(2);
    expect(hcl.err).toContain("--parser must be yaml or json (got hcl2)");
  });

  it("--quiet prints nothing when the exit code is 0, and the usual output when it is not", async () => {
    const ok = await run([SERVICE, "-p", `${F}/policy`, "--quiet"]);
    expect(ok).toEqual({ code: 0, out: "", err: "" });
    const failing = await run([DEPLOY, "-p", `${F}/policy`, "--quiet"]);
    expect(failing.code).toBe(1);
    expect(failing.out).toContain("FAIL - ");
    const warnFails = await run([SERVICE, "-p", `${F}/policy`, "--quiet", "--fail-on-warn"]);
    expect(warnFails.out).toContain("WARN - ");
  });

  it("--suppress-exceptions leaves the EXCP lines out but still counts them", async () => {
    const r = await run([LEGACY, "-p", `${F}/policy`, "--suppress-exceptions"]);
    expect(r.out).toBe("\n3 tests, 2 passed, 0 warnings, 0 failures, 1 exception\n");
  });

  it.each([
    [["--update", "oci://registry.example.com/policies"], "--update is not supported: it pulls policies from OCI registries"],
    [["-u", "https://example.com/p.rego"], "-u is not supported"],
    [["--trace"], "--trace is not supported"],
    [["--capabilities=caps.json"], "--capabilities is not supported"],
  ])("refuses %j with exit 2, naming the flag", async (flags, message) => {
    const r = await run([DEPLOY, "-p", `${F}/policy`, ...flags]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
    expect(r.out).toBe("");
  });
});
