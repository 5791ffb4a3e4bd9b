import { readFileSync } from "node:fs";
import { applyJson6902, parseJson6902 } from "../../../src/render/patch/json6902.js";
import { RenderError } from "../../../src/render/render-error.js";

type Obj = Record<string, unknown>;
interface OracleCase {
  patch: string;
  expected?: Obj;
  error?: string;
}
const fixture = JSON.parse(readFileSync(new URL("./fixtures/json6902-cases.json", import.meta.url), "utf8")) as { target: Obj; cases: OracleCase[] };

function thrown(f: () => unknown): RenderError {
  try {
    f();
  } catch (e) {
    if (e instanceof RenderError) return e;
    throw e;
  }
  throw new Error("expected a RenderError");
}

describe("applyJson6902 against kubectl kustomize v5.5.0 (fixtures/json6902-cases.json)", () => {
  it.each(fixture.cases.map((c) => [c.patch.replace(/\s+/g, " "), c] as const))("%s", (_name, c) => {
    const patch = parseJson6902(c.patch, "patch.yaml");
    if (c.error !== undefined) {
      const e = thrown(() => applyJson6902(fixture.target, patch));
      expect(e.code).toBe("render_json6902_failed");
      expect(e.message).toContain(c.error.replace(/\\"/g, '"'));
      return;
    }
    expect(applyJson6902(fixture.target, patch)).toEqual(c.expected);
  });
});

const fuzz = JSON.parse(readFileSync(new URL("./fixtures/json6902-fuzz-cases.json", import.meta.url), "utf8")) as {
  seed: number;
  cases: { target: Obj; patch: string; expected: Obj | "error" }[];
};

describe(`applyJson6902 against kubectl kustomize v5.5.0 on random operation lists (fixtures/json6902-fuzz-cases.json, seed ${fuzz.seed})`, () => {
  it.each(fuzz.cases.map((c) => [c.patch, c] as const))("%s", (_patch, c) => {
    const patch = parseJson6902(c.patch, "patch.json");
    if (c.expected === "error") expect(() => applyJson6902(c.target, patch)).toThrow(RenderError);
    else expect(applyJson6902(c.target, patch)).toEqual(c.expected);
  });
});

describe("applyJson6902", () => {
  const target = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" }, data: { a: "1", l: [1, 2] } };

  it("does not change the target and reports where each op wrote", () => {
    const before = structuredClone(target);
    const set: string[] = [];
    applyJson6902(
      target,
      [
        { op: "add", path: "/data/l/-", value: 3 },
        { op: "add", path: "/data/l/-4", value: 0 },
        { op: "replace", path: "/data/a", value: "2" },
        { op: "copy", from: "/data/a", path: "/data/b~1c" },
        { op: "move", from: "/data/l/0", path: "/data/m" },
        { op: "remove", path: "/data/b~1c" },
        { op: "test", path: "/data/m", value: 0 },
      ],
      { onSet: (p) => set.push(p) },
    );
    expect(target).toEqual(before);
    expect(set).toEqual(["/data/l/2", "/data/l/0", "/data/a", "/data/b~1c", "/data/m"]);
  });

  it("refuses a self-referencing value or target", () => {
    const looped: Record<string, unknown> = { apiVersion: "v1", kind: "ConfigMap" };
    looped["self"] = looped;
    expect(thrown(() => applyJson6902(looped, [])).code).toBe("render_patch_too_deep");
    const value: unknown[] = [];
    value.push(value);
    const e = thrown(() => applyJson6902(target, [{ op: "add", path: "/data/x", value }]));
    expect([e.code, e.message]).toEqual(["render_patch_too_deep", expect.stringMatching(/^JSON patch operation 0 \(add \/data\/x\): .*refers to itself/)]);
  });

  it("names the operation's index, op, path, file and line in errors", () => {
    const patch = parseJson6902("- op: add\n  path: /data/x\n  value: 1\n- op: remove\n  path: /data/nope\n", "overlay/ops.yaml");
    const e = thrown(() => applyJson6902(target, patch));
    expect(e.message).toMatch(/^JSON patch operation 1 \(remove \/data\/nope\): error in remove for path/);
    expect(e.at).toEqual({ file: "overlay/ops.yaml", line: 4 });
  });

  it("reads operations as YAML 1.1 or JSON, and rejects what is not a list of operations", () => {
    expect(parseJson6902("- {op: add, path: /a, value: yes}", "p.yaml").operations).toEqual([{ op: "add", path: "/a", value: true }]);
    expect(parseJson6902('[{"op": "remove", "path": "/a"}]', "p.json").operations).toEqual([{ op: "remove", path: "/a" }]);
    for (const bad of ["op: add\npath: /a", "- {path: /a}", "- [1]", "[", "- op: add\n---\n- op: add", "[{op: add, path: /a}]"]) {
      const e = thrown(() => parseJson6902(bad, "p.yaml"));
      expect(e.code).toBe("render_json6902_invalid");
      expect(e.at?.file).toBe("p.yaml");
    }
    expect(thrown(() => parseJson6902("- op: add\n- {path: /a}\n", "p.yaml")).at).toEqual({ file: "p.yaml", line: 2 });
  });
});
