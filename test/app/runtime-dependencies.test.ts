/**
 * Every package the app imports at run time is a dependency (not a devDependency, not merely present because
 * another package pulls it in), and every dependency is imported. Type-only imports (`import type`) are
 * erased by the compiler; with verbatimModuleSyntax every other import stays in the emitted JavaScript.
 */
import { readdirSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { join, relative } from "node:path";
import { REPO_ROOT } from "../helpers/build-app-copy.js";


/**
 * Folders of src/ that the production install never loads: the AssemblyScript runtime (compiled at build time),
 * and the GitHub simulator with the demo built on it, which run from a development install (README: `npm run demo`).
 */
const DEVELOPMENT_ONLY = [join("rego", "runtime", "assembly"), join("src", "simulator"), join("src", "demo")];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return DEVELOPMENT_ONLY.some((d) => path.endsWith(d)) ? [] : sourceFiles(path);
    return /\.(ts|js|mjs)$/.test(e.name) && !e.name.endsWith(".d.ts") ? [path] : [];
  });
}

/** The package a bare specifier names (`@scope/name/sub` → `@scope/name`), null for relative or builtin ones. */
function packageOf(specifier: string): string | null {
  if (specifier.startsWith(".") || specifier.startsWith("/") || specifier.startsWith("node:") || builtinModules.includes(specifier)) return null;
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] ?? null);
}

/** The specifiers a module loads at run time: static imports and re-exports (not `import type`), `import()`, `require()`, `import.meta.resolve()`. */
function runtimeSpecifiers(text: string): string[] {
  const out: string[] = [];
  const statics = /^\s*(?:import|export)\s+(type\s+)?(?:[^;'"]*?\s+from\s+)?["']([^"']+)["']/gm;
  for (const m of text.matchAll(statics)) if (!m[1]) out.push(m[2] as string);
  const calls = /(?:\bimport|\brequire\)?|createRequire\([^)]*\)|import\.meta\.resolve)\(\s*["']([^"']+)["']/g;
  for (const m of text.matchAll(calls)) out.push(m[1] as string);
  return out;
}

test("the import scanner sees static, dynamic and required imports, and skips type-only ones", () => {
  const text = [
    'import type { Logger } from "pino";',
    'import { type A, b } from "zod";',
    "import {\n  c,\n  d,\n} from \"@scope/pkg/sub\";",
    'export * from "yaml";',
    'import "side-effect";',
    'const m = await import("dyn");',
    'const r = createRequire(import.meta.url)("req");',
    'import.meta.resolve("probot");',
    'import { x } from "./local.js";',
    'import { readFileSync } from "node:fs";',
  ].join("\n");
  const found = runtimeSpecifiers(text).map(packageOf).filter((p) => p !== null);
  expect(found.sort()).toEqual(["@scope/pkg", "dyn", "probot", "req", "side-effect", "yaml", "zod"]);
});

test("every runtime import of src/ and bin/ is a dependency, and every dependency is imported", () => {
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { dependencies?: Record<string, string> };
  const dependencies = new Set(Object.keys(pkg.dependencies ?? {}));
  const imported = new Map<string, string>();
  for (const file of [...sourceFiles(join(REPO_ROOT, "src")), ...sourceFiles(join(REPO_ROOT, "bin"))]) {
    for (const spec of runtimeSpecifiers(readFileSync(file, "utf8"))) {
      const name = packageOf(spec);
      if (name !== null && !imported.has(name)) imported.set(name, relative(REPO_ROOT, file));
    }
  }
  const undeclared = [...imported].filter(([name]) => !dependencies.has(name)).map(([name, file]) => `${name} (imported by ${file})`);
  expect(undeclared).toEqual([]);
  const unused = [...dependencies].filter((name) => !imported.has(name));
  expect(unused).toEqual([]);
});
