import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { loadManifestFile, type ManifestDocument } from "../../src/policy/manifests/index.js";
import { matchesConstraint, parseConstraint, parseConstraintTemplate } from "../../src/policy/gatekeeper/index.js";
import { parseGatorSuite } from "../../src/policy/gator/index.js";

/**
 * The policy library cannot be executed until the Rego compiler exists; these checks keep its files consistent:
 * templates parse, embed exactly the .rego module next to them, constraints validate against their template's
 * schema, suites parse and point at existing files, and every case that expects violations is selected by the
 * constraint's match.
 */
const root = process.cwd();
const policiesDir = join(root, "policies");

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [relative(root, p).split("\\").join("/")];
  });
}

const files = walk(policiesDir);
const load = (path: string): ManifestDocument[] => {
  const r = loadManifestFile({ path, content: readFileSync(join(root, path), "utf8") });
  expect(r.diagnostics).toEqual([]);
  return r.documents;
};
const templateFiles = files.filter((f) => f.endsWith("/template.yaml"));

describe("policy library", () => {
  it("has the brief's example and the library templates", () => {
    const dirs = templateFiles.map((f) => f.replace(/^policies\//, "").replace(/\/template\.yaml$/, ""));
    expect(dirs).toEqual(
      expect.arrayContaining([
        "examples/disallowed-image-repos",
        "library/approved-image-repos",
        "library/required-labels",
        "library/container-resources",
        "library/disallow-latest-tag",
        "library/disallow-privileged",
        "library/disallow-host-access",
        "library/required-probes",
        "library/replica-bounds",
      ]),
    );
  });

  describe.each(templateFiles)("%s", (templateFile) => {
    const dir = templateFile.replace(/\/template\.yaml$/, "");
    const tdocs = load(templateFile);
    const parsed = parseConstraintTemplate(tdocs[0]!);
    const template = parsed.template!;

    it("parses as a Rego v1 template whose Rego is the module next to it", () => {
      expect(parsed.diagnostics).toEqual([]);
      expect(template.regoVersion).toBe("v1");
      const module = readFileSync(join(root, dir, `${template.name}.rego`), "utf8");
      expect(template.rego).toBe(module);
      expect(module.startsWith(`package ${template.name}\n`)).toBe(true);
    });

    it("has unit tests in a _test package", () => {
      const tests = readFileSync(join(root, dir, `${template.name}_test.rego`), "utf8");
      expect(tests.startsWith(`package ${template.name}_test\n`)).toBe(true);
      expect(tests).toContain(`import data.${template.name}\n`);
      expect((tests.match(/^test_[a-z0-9_]+ if \{/gm) ?? []).length).toBeGreaterThanOrEqual(3);
    });

    it("has a constraint that validates against the template", () => {
      const c = parseConstraint(load(`${dir}/constraint.yaml`)[0]!, new Map([[template.kind, template]]));
      expect(c.diagnostics).toEqual([]);
      expect(c.constraint?.kind).toBe(template.kind);
    });

    it("has a gator suite whose files exist and whose violating cases the constraint selects", () => {
      const suite = parseGatorSuite(load(`${dir}/suite.yaml`)[0]!);
      expect(suite.diagnostics).toEqual([]);
      const tests = suite.suite!.tests;
      expect(tests.length).toBeGreaterThan(0);
      for (const t of tests) {
        expect(t.template).toBe(templateFile);
        const constraint = parseConstraint(load(t.constraint)[0]!, new Map([[template.kind, template]])).constraint!;
        expect(t.cases.length).toBeGreaterThanOrEqual(2);
        for (const c of t.cases) {
          for (const p of [c.object, ...c.inventory]) expect(existsSync(join(root, p))).toBe(true);
          const objects = load(c.object);
          expect(objects).toHaveLength(1);
          const namespaces = new Map(
            c.inventory.flatMap(load).filter((d) => d.kind === "Namespace").map((d) => [d.name ?? "", d.value]),
          );
          const expectsViolation = c.assertions.some((a) => a.violations === "yes" || (typeof a.violations === "number" && a.violations > 0));
          if (expectsViolation) expect(matchesConstraint(constraint, objects[0]!.value, { namespaces })).toEqual({ matches: true });
        }
      }
    });
  });

  it("keeps the brief's example exactly: constraint pod-image-registry-check on Pods with the approved registry", () => {
    const c = load("policies/examples/disallowed-image-repos/constraint.yaml")[0]!.value;
    expect(c).toEqual({
      apiVersion: "constraints.gatekeeper.sh/v1beta1",
      kind: "K8sDisallowedImageRepos",
      metadata: { name: "pod-image-registry-check" },
      spec: {
        match: { kinds: [{ apiGroups: [""], kinds: ["Pod"] }] },
        parameters: { repos: ["your-approved-registry.com/"] },
      },
    });
    const rego = readFileSync(join(root, "policies/examples/disallowed-image-repos/k8sdisallowedimagerepos.rego"), "utf8");
    expect(rego).toContain("Image '%v' comes from an unapproved repository. Only images from %v are allowed.");
  });

  it("lists every template kind and its parameters in policies/README.md", () => {
    const readme = readFileSync(join(policiesDir, "README.md"), "utf8");
    for (const f of templateFiles) {
      const t = parseConstraintTemplate(load(f)[0]!).template!;
      expect(readme).toContain(t.kind);
      for (const p of Object.keys((t.parametersSchema?.properties as Record<string, unknown> | undefined) ?? {})) {
        expect(readme).toContain(`\`${p}\``);
      }
    }
  });

  it("has Conftest-style variants with tests", () => {
    const conftest = files.filter((f) => f.startsWith("policies/conftest/") && f.endsWith(".rego"));
    const modules = conftest.filter((f) => !f.endsWith("_test.rego") && !f.includes("/lib/"));
    expect(modules.length).toBeGreaterThanOrEqual(3);
    for (const m of modules) {
      const text = readFileSync(join(root, m), "utf8");
      expect(text).toMatch(/^package main$/m);
      expect(text).toMatch(/^(deny|warn)_[a-z0-9_]+ contains msg if \{/m);
      expect(conftest).toContain(m.replace(/\.rego$/, "_test.rego"));
    }
  });
});
