/**
 * Kustomize's own end-to-end cases (`test/fixtures/kustomize-conformance/cases.json`, from kubernetes-sigs/kustomize
 * `api/krusty`): each case's files are put in a MemoryFs, its folder is rendered in input order (`reorder: none`, as
 * Kustomize's test harness builds), and the output is compared with the expected stream as data, document by
 * document, in order. A case that expects an error passes when the render fails.
 */
import type { RenderResult } from "./api.js";
import { parseKYaml } from "./kyaml.js";
import { MemoryFs } from "./memory-fs.js";
import { renderKustomization } from "./render.js";

export interface ConformanceCase {
  name: string;
  source?: string;
  files: Record<string, string>;
  run: string;
  expected?: string;
  error?: string | boolean;
}

export interface CaseOutcome {
  name: string;
  passed: boolean;
  /** Why it failed (first difference or the render's error). */
  detail?: string;
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

function normalizeDir(run: string): string {
  return run.replace(/^\/+/, "").replace(/^(\.\/)+/, "").replace(/\/+$/, "").replace(/^\.$/, "");
}

export function runConformanceCase(c: ConformanceCase): CaseOutcome {
  const result: RenderResult = renderKustomization(new MemoryFs(c.files), normalizeDir(c.run), { reorder: "none" });
  const failure = result.diagnostics.find((d) => d.severity === "error");
  if (c.error !== undefined && c.error !== false) {
    return result.ok ? { name: c.name, passed: false, detail: "expected an error, the render succeeded" } : { name: c.name, passed: true };
  }
  if (!result.ok) return { name: c.name, passed: false, detail: failure ? `${failure.file}:${failure.line}: ${failure.code}: ${failure.message}` : "render failed" };
  const expected = parseKYaml(c.expected ?? "", "expected", { maxFileBytes: Number.MAX_SAFE_INTEGER }).map((d) => d.value);
  const actual = result.objects.map((o) => o.object);
  if (expected.length !== actual.length) return { name: c.name, passed: false, detail: `expected ${expected.length} documents, got ${actual.length}` };
  for (let i = 0; i < expected.length; i++) {
    const want = canonical(expected[i]);
    const got = canonical(actual[i]);
    if (want !== got) return { name: c.name, passed: false, detail: `document ${i + 1} differs:\n  expected ${want}\n  got      ${got}` };
  }
  return { name: c.name, passed: true };
}

export function runConformanceCases(cases: readonly ConformanceCase[]): { outcomes: CaseOutcome[]; passed: number; failed: number } {
  const outcomes = cases.map(runConformanceCase);
  const passed = outcomes.filter((o) => o.passed).length;
  return { outcomes, passed, failed: outcomes.length - passed };
}
