import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runEvalCommand } from "../../src/cli/commands/eval-command.js";
import { ensureRuntimeBuilt } from "../rego/runtime/ensure-runtime-built.js";

beforeAll(() => ensureRuntimeBuilt());

function setup(): { dir: string; run: (args: string[]) => Promise<{ code: number; out: string; err: string }> } {
  const dir = mkdtempSync(join(tmpdir(), "fw-eval-"));
  writeFileSync(join(dir, "p.rego"), "package x\nallow if input.user == data.admin\nnames contains n if some n in input.names\n");
  writeFileSync(join(dir, "data.json"), JSON.stringify({ admin: "alice" }));
  writeFileSync(join(dir, "input.json"), JSON.stringify({ user: "alice", names: ["a", "b"] }));
  const run = async (args: string[]): Promise<{ code: number; out: string; err: string }> => {
    let out = "";
    let err = "";
    const code = await runEvalCommand(args, { stdout: (s) => (out += s), stderr: (s) => (err += s), readFile: async (p) => readFileSync(p, "utf8") });
    return { code, out, err };
  };
  return { dir, run };
}

describe("fleetward eval", () => {
  test("a ref query prints its value like opa eval", async () => {
    const { dir, run } = setup();
    const r = await run(["-d", dir, "-i", join(dir, "input.json"), "data.x.allow"]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out) as { result: Array<{ expressions: Array<{ value: unknown; text: string }> }> };
    expect(doc.result[0]?.expressions[0]).toMatchObject({ value: true, text: "data.x.allow" });
  });

  test("variables become bindings, one result per solution", async () => {
    const { dir, run } = setup();
    const r = await run(["-d", dir, "-i", join(dir, "input.json"), "some n in data.x.names"]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out) as { result: Array<{ bindings: { n: string } }> };
    expect(doc.result.map((x) => x.bindings.n).sort()).toEqual(["a", "b"]);
  });

  test("an undefined query prints {}; errors exit 1 with the OPA code", async () => {
    const { dir, run } = setup();
    const u = await run(["-d", dir, "data.x.allow"]);
    expect(u.code).toBe(0);
    expect(JSON.parse(u.out)).toEqual({});
    const e = await run(["-d", dir, "--strict-builtin-errors", "x := 1 / 0"]);
    expect(e.code).toBe(1);
    expect(e.err).toContain("eval_builtin_error");
    expect((await run([])).code).toBe(2);
  });

  test("the query `data` is the whole document (policies and data files) without the query's own package", async () => {
    const { dir, run } = setup();
    const r = await run(["-d", dir, "-i", join(dir, "input.json"), "data"]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out) as { result: Array<{ expressions: Array<{ value: Record<string, unknown> }> }> };
    const value = doc.result[0]?.expressions[0]?.value;
    // every JSON file under -d is data, as with opa eval (input.json sits in the same folder here)
    expect(value).toEqual({ admin: "alice", user: "alice", names: ["a", "b"], x: { allow: true, names: ["a", "b"] } });
  });
});
