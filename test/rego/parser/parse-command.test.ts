import { runParseCommand } from "../../../src/cli/commands/parse-command.js";

function io(files: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: {
      stdout: (s: string) => out.push(s),
      stderr: (s: string) => err.push(s),
      readFile: async (p: string) => {
        const f = files[p];
        if (f === undefined) throw new Error(`ENOENT: no such file '${p}'`);
        return f;
      },
    },
  };
}

describe("fleetward parse", () => {
  it("prints the AST as JSON by default", async () => {
    const t = io({ "a.rego": "package a\np := 1\n" });
    expect(await runParseCommand(["a.rego"], t.io)).toBe(0);
    const ast = JSON.parse(t.out.join("")) as { type: string; rules: Array<{ kind: string }> };
    expect(ast.type).toBe("Module");
    expect(ast.rules.map((r) => r.kind)).toEqual(["complete"]);
    expect(t.err).toEqual([]);
  });

  it("pretty-prints with the canonical printer, v0 with --v0", async () => {
    const t = io({ "a.rego": "package a\ndeny[msg] { msg := \"x\" }\n" });
    expect(await runParseCommand(["--v0", "--format", "pretty", "a.rego"], t.io)).toBe(0);
    expect(t.out.join("")).toBe('package a\n\ndeny[msg] {\n\tmsg := "x"\n}\n');
  });

  it("prints diagnostics as file:line:col and exits 1", async () => {
    const t = io({ "bad.rego": "package a\np { true }\n", "ok.rego": "package b\nq := 2\n" });
    expect(await runParseCommand(["bad.rego", "ok.rego", "--format=pretty"], t.io)).toBe(1);
    expect(t.err.join("")).toBe("bad.rego:2:1: rego_parse_error: `if` keyword is required before rule body\n");
    expect(t.out.join("")).toBe("package b\n\nq := 2\n");
  });

  it("reports METADATA errors too", async () => {
    const t = io({ "m.rego": "package a\n# METADATA\n# scope: nowhere\np := 1\n" });
    expect(await runParseCommand(["m.rego"], t.io)).toBe(1);
    expect(t.err.join("")).toContain("m.rego:2:1: rego_parse_error: invalid annotation scope 'nowhere'");
  });

  it("prints a JSON list for several files", async () => {
    const t = io({ "a.rego": "package a\n", "b.rego": "package b\n" });
    expect(await runParseCommand(["a.rego", "b.rego"], t.io)).toBe(0);
    const list = JSON.parse(t.out.join("")) as Array<{ file: string }>;
    expect(list.map((x) => x.file)).toEqual(["a.rego", "b.rego"]);
  });

  it("handles unreadable files and usage errors", async () => {
    const t = io({});
    expect(await runParseCommand(["missing.rego"], t.io)).toBe(1);
    expect(t.err.join("")).toContain("missing.rego: cannot read file: ENOENT");
    const u = io({});
    expect(await runParseCommand([], u.io)).toBe(2);
    expect(await runParseCommand(["--format", "xml", "a.rego"], u.io)).toBe(2);
    expect(await runParseCommand(["--bogus"], u.io)).toBe(2);
    expect(u.err.join("")).toContain("usage: fleetward parse");
    const h = io({});
    expect(await runParseCommand(["--help"], h.io)).toBe(0);
    expect(h.out.join("")).toContain("usage");
  });
});
