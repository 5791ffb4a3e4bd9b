/**
 * The origin of a field a strategic merge patch set is the patch line that holds it, found by where the value sits
 * in the patch document, not where it ends up in the result (list positions differ after merges and deletions).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { MemoryFs, renderKustomization } from "../../../src/render/index.js";
import type { RenderedObject, SourcePos } from "../../../src/render/index.js";

const CASE = path.join(path.dirname(fileURLToPath(import.meta.url)), "cases", "smp-delete-then-merge");
const read = (name: string): string => readFileSync(path.join(CASE, name), "utf8");

/** The origin recorded for a pointer or its nearest recorded ancestor. */
function originOf(o: RenderedObject, pointer: string): SourcePos | undefined {
  for (let p = pointer; ; p = p.slice(0, p.lastIndexOf("/"))) {
    if (o.fieldOrigins[p]) return o.fieldOrigins[p];
    if (p === "") return undefined;
  }
}

function lineOf(text: string, needle: string): number {
  return text.split("\n").findIndex((l) => l.includes(needle)) + 1;
}

describe("field origins of strategic merge patches", () => {
  const fs = new MemoryFs({ "kustomization.yaml": read("kustomization.yaml"), "res.yaml": read("res.yaml"), "patch.yaml": read("patch.yaml") });
  const result = renderKustomization(fs, "");
  const deployment = result.objects[0]!;
  const containers = (deployment.object["spec"] as { template: { spec: { containers: { name: string; image: string }[] } } }).template.spec.containers;

  it("a container merged by name at another index than in the patch points at the patch's line for it", () => {
    expect(result.diagnostics).toEqual([]);
    // Kustomize's result (expected.yaml): the patch's second container ends up first.
    expect(containers.map((c) => c.name)).toEqual(["c", "a"]);
    expect(originOf(deployment, "/spec/template/spec/containers/0/image")).toEqual({ file: "patch.yaml", line: lineOf(read("patch.yaml"), "image: c:2") });
  });

  it("a field the patch did not touch keeps its resource origin", () => {
    expect(originOf(deployment, "/spec/template/spec/containers/1/image")).toBeUndefined();
    expect(deployment.source).toEqual({ file: "res.yaml", line: 1 });
  });
});
