/**
 * Gatekeeper library templates as published, reduced to one minimal template (test/fixtures/gatekeeper-compat): a
 * description continuing at a lower indentation, a zero-argument function in a rule body, `not f(x)` with x
 * undefined, and a constraint parameter written `yes`. `fleetward verify` must pass its suite as gator does.
 */
import { runVerifyCommand } from "../../src/cli/commands/verify-command.js";
import { runEvalCommand } from "../../src/cli/commands/eval-command.js";
import { runCliCommand } from "../helpers/run-cli-command.js";
import { ensureRuntimeBuilt } from "../rego/runtime/ensure-runtime-built.js";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

beforeAll(() => ensureRuntimeBuilt());

test("the compat template's suite passes: every case, with the expected messages", async () => {
  const r = await runCliCommand(runVerifyCommand, ["test/fixtures/gatekeeper-compat/suite.yaml"]);
  expect(r.err).toBe("");
  expect(r.out).toContain("3 passed, 0 failed");
  expect(r.code).toBe(0);
});

test("rule names that are refs starting with a keyword parse and evaluate (v1 and v0), as OPA accepts them", async () => {
  const dir = await mkdtemp(join(tmpdir(), "fw-kw-"));
  try {
    await writeFile(join(dir, "v1.rego"), 'package kw\n\nwith.foo := 1\n\nelse.bar := 2\n\nx.else := 3\n\nx.if.in := 4\n\ndefault not.y := 5\n\nq := [with.foo, x.else, data.kw.x.if.in]\n');
    const v1 = await runCliCommand(runEvalCommand, ["-d", join(dir, "v1.rego"), "data.kw"]);
    expect(v1.err).toBe("");
    expect((JSON.parse(v1.out) as { result: Array<{ expressions: Array<{ value: unknown }> }> }).result[0]?.expressions[0]?.value).toEqual({
      with: { foo: 1 },
      else: { bar: 2 },
      x: { else: 3, if: { in: 4 } },
      not: { y: 5 },
      q: [1, 3, 4],
    });
    await writeFile(join(dir, "v0.rego"), "package kw0\n\nwith.foo = 1 { true }\n\nx.else = 2 { true }\n");
    const v0 = await runCliCommand(runEvalCommand, ["--v0", "-d", join(dir, "v0.rego"), "data.kw0"]);
    expect(v0.err).toBe("");
    expect(v0.out).toContain('"else": 2');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
