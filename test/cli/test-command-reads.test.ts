/**
 * `fleetward test` reads its inputs concurrently (and parses each once) but reports as a file-by-file run would: the
 * first problem in walk order, symbolic links to folders followed, files in sorted order.
 */
import { mkdir, symlink } from "node:fs/promises";
import { join } from "node:path";
import { runTestCommand } from "../../src/cli/commands/test-command.js";
import { captureIO } from "../helpers/capture-cli-io.js";
import { useTempRepo } from "../helpers/use-temp-repo.js";
import { ensureRuntimeBuilt } from "../rego/runtime/ensure-runtime-built.js";

const repo = useTempRepo("fleetward-test-reads-");
const POLICY = 'package main\n\ndeny contains msg if {\n\tinput.kind == "Pod"\n\tmsg := sprintf("pod %v", [input.metadata.name])\n}\n';
const pod = (name: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n`;

beforeAll(() => ensureRuntimeBuilt());

test("the first broken file in walk order is the one reported, however the reads finish", async () => {
  const files: Record<string, string> = { "policy/main.rego": POLICY };
  for (let i = 0; i < 80; i++) files[`in/f${String(i).padStart(3, "0")}.yaml`] = pod(`p${i}`);
  files["in/f040.yaml"] = "kind: [\n";
  files["in/f070.yaml"] = "kind: {\n";
  await repo.writeFiles(files);
  const io = captureIO();
  expect(await runTestCommand([join(repo.dir, "in"), "-p", join(repo.dir, "policy")], io)).toBe(1);
  expect(io.err).toMatch(/^fleetward test: .*\/in\/f040\.yaml:\d+:\d+: manifest_yaml_syntax: /);
  expect(io.out).toBe("");
});

test("files in sorted walk order, symbolic links to folders followed, each document judged", async () => {
  await repo.writeFiles({ "policy/main.rego": POLICY, "in/b/x.yaml": pod("bx"), "in/a.yml": `${pod("a1")}---\n${pod("a2")}`, "other/c.json": JSON.stringify({ apiVersion: "v1", kind: "Pod", metadata: { name: "c" } }) });
  await mkdir(join(repo.dir, "in", "c"), { recursive: true });
  await symlink(join(repo.dir, "other"), join(repo.dir, "in", "c", "link"));
  const io = captureIO();
  expect(await runTestCommand([join(repo.dir, "in"), "-p", join(repo.dir, "policy")], io)).toBe(1);
  const lines = io.out.split("\n").filter((l) => l.startsWith("FAIL")).map((l) => l.replace(repo.dir, "<dir>"));
  expect(lines).toEqual([
    "FAIL - <dir>/in/a.yml - main - pod a1",
    "FAIL - <dir>/in/a.yml - main - pod a2",
    "FAIL - <dir>/in/b/x.yaml - main - pod bx",
    "FAIL - <dir>/in/c/link/c.json - main - pod c",
  ]);
});
