import { runCli } from "../../src/cli/main.js";
import { captureIO } from "../helpers/capture-cli-io.js";

test("help lists the commands; no command is a usage error", async () => {
  const io = captureIO({});
  expect(await runCli(["help"], io)).toBe(0);
  expect(io.out).toContain("parse");
  expect(await runCli([], captureIO({}))).toBe(2);
});

test("an unknown command exits 2 and says so", async () => {
  const io = captureIO({});
  expect(await runCli(["frobnicate"], io)).toBe(2);
  expect(io.err).toContain('unknown command "frobnicate"');
});

test("parse prints diagnostics with file:line:col and exits 1 on a broken module", async () => {
  const io = captureIO({ "bad.rego": "package x\n\np if {\n  input.a ==\n}\n" });
  expect(await runCli(["parse", "bad.rego"], io)).toBe(1);
  expect(io.err + io.out).toMatch(/bad\.rego:\d+:\d+: rego_parse_error: /);
});

test("parse prints the AST of a valid module and exits 0", async () => {
  const io = captureIO({ "ok.rego": 'package x\n\nallow if input.user == "alice"\n' });
  expect(await runCli(["parse", "ok.rego"], io)).toBe(0);
  const ast = JSON.parse(io.out) as unknown;
  expect(JSON.stringify(ast)).toContain('"alice"');
});

test("eval and conformance are wired into the command", async () => {
  const io = captureIO({});
  expect(await runCli(["help"], io)).toBe(0);
  expect(io.out).toContain("eval");
  expect(io.out).toContain("conformance");
  expect(io.out).toContain("verify");
  expect(io.out).toMatch(/^\s+test\s/m);
});
