import { extractAnnotations, parseRefPath } from "../../../src/rego/ast/extract-annotations.js";
import { parseModule } from "../../../src/rego/parser/parse-module.js";
import type { Module } from "../../../src/rego/parser/nodes.js";

function mod(src: string): Module {
  const r = parseModule(src, { file: "a.rego" });
  expect(r.diagnostics).toEqual([]);
  if (!r.module) throw new Error("no module");
  return r.module;
}

describe("extractAnnotations", () => {
  it("parses every documented field into structured data", () => {
    const m = mod(`# METADATA
# title: Kubernetes admission
# description: |
#   Checks pods.
# organizations: [Acme]
# authors:
# - Jane Doe <jane@example.com>
# - name: Bot
# related_resources:
# - https://example.com/docs
# - ref: https://example.com/runbook
#   description: runbook
# schemas:
# - input: schema.kubernetes.pod
# - input.spec: {type: object}
# custom:
#   severity: high
#   tags: [a, b]
package k8s

# METADATA
# entrypoint: true
allow if true
`);
    const r = extractAnnotations(m);
    expect(r.diagnostics).toEqual([]);
    const [pkg, rule] = r.annotations;
    expect(pkg).toMatchObject({
      scope: "package",
      title: "Kubernetes admission",
      description: "Checks pods.\n",
      organizations: ["Acme"],
      authors: [{ name: "Jane Doe", email: "jane@example.com" }, { name: "Bot" }],
      relatedResources: [{ ref: "https://example.com/docs" }, { ref: "https://example.com/runbook", description: "runbook" }],
      schemas: [
        { path: ["input"], schemaRef: ["schema", "kubernetes", "pod"] },
        { path: ["input", "spec"], definition: { type: "object" } },
      ],
      custom: { severity: "high", tags: ["a", "b"] },
      attachedTo: { kind: "package" },
    });
    expect(rule).toMatchObject({ scope: "rule", entrypoint: true, attachedTo: { kind: "rule", index: 0 } });
    expect(rule?.span.start).toMatchObject({ line: 21, column: 1 });
  });

  it("accepts document and subpackages scopes where they apply", () => {
    const m = mod("# METADATA\n# scope: subpackages\npackage a\n\n# METADATA\n# scope: document\np := 1\n");
    expect(extractAnnotations(m).annotations.map((a) => a.scope)).toEqual(["subpackages", "document"]);
  });

  it.each([
    ["# METADATA\n# scope: package\npackage a\n\n# METADATA\n# scope: package\np := 1\n", "annotation scope 'package' must be applied to package (have rule)", 5],
    ["# METADATA\n# scope: rule\npackage a\np := 1\n", "annotation scope 'rule' must be applied to rule (have package)", 1],
    ["package a\np := 1\n# METADATA\n# title: x\n", "annotation scope 'rule' must be applied to rule", 3],
    ["package a\n# METADATA\n# scope: everywhere\np := 1\n", "invalid annotation scope 'everywhere'", 2],
    ["package a\n# METADATA\np := 1\n", "expected METADATA block, found whitespace", 2],
    ["package a\n# METADATA\n# title: [1\np := 1\n", "yaml: line", 3],
    ["package a\n# METADATA\n# - a\np := 1\n", "cannot unmarshal list", 2],
    ["package a\n# METADATA\n# title: {a: 1}\np := 1\n", "invalid title: expected string, got map", 2],
    ["package a\n# METADATA\n# authors: [{}]\np := 1\n", "'name' and/or 'email' values required in object", 2],
    ["package a\n# METADATA\n# related_resources: [{description: x}]\np := 1\n", "'ref' value required in object", 2],
    ["package a\n# METADATA\n# schemas: [{input: foo.bar}]\np := 1\n", "invalid schema reference", 2],
    ["package a\n# METADATA\n# schemas: [{'1 +': schema.x}]\np := 1\n", "invalid document reference", 2],
    ["package a\n# METADATA\n# entrypoint: yes please\np := 1\n", "invalid entrypoint: expected boolean", 2],
    ["package a\n# METADATA\n# custom: [1]\np := 1\n", "invalid custom: expected map", 2],
  ])("reports %j", (src, message, line) => {
    const r = extractAnnotations(mod(src));
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]?.code).toBe("rego_parse_error");
    expect(r.diagnostics[0]?.message).toContain(message);
    expect(r.diagnostics[0]?.span.start.line).toBe(line);
  });

  it("locates YAML errors at the source column", () => {
    const r = extractAnnotations(mod("package a\n# METADATA\n# title: ok\n# bad: [1\np := 1\n"));
    expect(r.diagnostics[0]?.span.start.line).toBeGreaterThanOrEqual(4);
    expect(r.diagnostics[0]?.span.start.column).toBeGreaterThan(1);
  });

  it("parseRefPath reads var/string refs only", () => {
    expect(parseRefPath('input.a["b c"]')).toEqual(["input", "a", "b c"]);
    expect(parseRefPath("data")).toEqual(["data"]);
    expect(parseRefPath("input[x]")).toBeUndefined();
    expect(parseRefPath("1 + 2")).toBeUndefined();
  });
});

describe("extractAnnotations robustness", () => {
  it("turns YAML alias bombs into a diagnostic", () => {
    const lines = ["a: &a [x, x, x, x, x, x, x, x, x]"];
    for (let i = 0; i < 8; i++) lines.push(`${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`);
    lines.push("custom: {z: *i}");
    const src = `package a\n# METADATA\n${lines.map((l) => `# ${l}`).join("\n")}\np := 1\n`;
    const r = parseModule(src, { file: "a.rego" });
    expect(r.diagnostics).toEqual([]);
    const a = extractAnnotations(r.module as Module);
    expect(a.diagnostics).toHaveLength(1);
    expect(a.diagnostics[0]?.message).toMatch(/^yaml: /);
  });
});
