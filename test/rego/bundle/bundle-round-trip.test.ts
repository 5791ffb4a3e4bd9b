import { gunzipSync } from "node:zlib";
import { buildBundle, type BuildBundleRequest } from "../../../src/rego/bundle/build-bundle.js";
import { BundlePolicy } from "../../../src/rego/bundle/bundle-policy.js";
import { readBundle } from "../../../src/rego/bundle/read-bundle.js";
import { readTarArchive } from "../../../src/rego/bundle/read-tar-archive.js";
import { BundleError } from "../../../src/rego/bundle/bundle-error.js";
import { PolicyEvalError } from "../../../src/rego/evaluator/compiled-policy.js";
import { ensureRuntimeBuilt } from "../runtime/ensure-runtime-built.js";

beforeAll(() => ensureRuntimeBuilt());

const POLICY = [
  "package k8s.images",
  "",
  "deny contains msg if {",
  "  some c in input.spec.containers",
  "  not allowed(c.image)",
  '  msg := sprintf("image %s is not allowed", [c.image])',
  "}",
  "",
  "allowed(image) if {",
  "  some prefix in data.registries.allowed",
  "  startswith(image, prefix)",
  "}",
  "",
  "allowed_count := count(data.registries.allowed)",
  "",
].join("\n");

const REQUEST: BuildBundleRequest = {
  modules: [{ file: "policies/images.rego", text: POLICY }],
  dataFiles: [
    { file: "policies/registries/data.json", dataPath: ["registries"], text: '{"allowed": ["good.io/"]}' },
    { file: "policies/teams/owners.yaml", dataPath: ["teams"], text: "payments: alice\n" },
  ],
  entrypoints: ["k8s/images/deny", "data.k8s.images.allowed_count"],
  revision: "abc123",
};

function build(req: BuildBundleRequest = REQUEST): Uint8Array {
  const r = buildBundle(req);
  if (r.bundle === undefined) throw new Error(JSON.stringify([r.diagnostics, r.errors.map((e) => e.message)]));
  return r.bundle;
}

const POD = { spec: { containers: [{ image: "good.io/app:1" }, { image: "evil.io/miner:2" }] } };

describe("fleetward bundles: build → read → evaluate", () => {
  test("the archive follows OPA's layout: /data.json, Rego sources, /policy.wasm, /.manifest", () => {
    const entries = readTarArchive(gunzipSync(build()), { maxEntries: 100 });
    expect(entries.map((e) => e.path)).toEqual(["/data.json", "/policies/images.rego", "/policy.wasm", "/.manifest"]);
    const text = (path: string) => new TextDecoder().decode(entries.find((e) => e.path === path)?.data);
    expect(text("/.manifest")).toBe(
      '{"revision":"abc123","roots":[""],"wasm":[{"entrypoint":"k8s/images/deny","module":"/policy.wasm"},{"entrypoint":"k8s/images/allowed_count","module":"/policy.wasm"}],"rego_version":1}\n',
    );
    // Data files go under their directory path; keys sorted as Go's encoder writes them.
    expect(text("/data.json")).toBe('{"registries":{"allowed":["good.io/"]},"teams":{"payments":"alice"}}\n');
    expect(text("/policies/images.rego")).toBe(POLICY);
  });

  test("readBundle returns the manifest, data, module and sources", () => {
    const b = readBundle(build());
    expect(b.hasManifest).toBe(true);
    expect(b.manifest.revision).toBe("abc123");
    expect(b.manifest.rego_version).toBe(1);
    expect(b.data).toEqual({ registries: { allowed: ["good.io/"] }, teams: { payments: "alice" } });
    expect(b.wasmModules.map((m) => m.path)).toEqual(["/policy.wasm"]);
    expect(b.regoFiles).toEqual([{ path: "/policies/images.rego", text: POLICY }]);
  });

  test("loadSync and load evaluate the entrypoints with the bundle's data", async () => {
    const bytes = build();
    for (const policy of [BundlePolicy.loadSync(bytes), await BundlePolicy.load(bytes)]) {
      expect(policy.entrypoints).toEqual(["k8s/images/allowed_count", "k8s/images/deny"]);
      expect(policy.evaluate("k8s/images/deny", POD)).toEqual([{ result: ["image evil.io/miner:2 is not allowed"] }]);
      expect(policy.evaluate("data.k8s.images.allowed_count", {})).toEqual([{ result: 1 }]);
      expect(JSON.parse(policy.evaluateText("k8s/images/deny", JSON.stringify({ spec: { containers: [] } })))).toEqual([{ result: [] }]);
    }
  });

  test("asking for an entrypoint the bundle does not serve is a bundle_unknown_entrypoint error", () => {
    const policy = BundlePolicy.loadSync(build());
    let caught: unknown;
    try {
      policy.evaluate("k8s/images/warn", POD);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(BundleError);
    expect((caught as BundleError).code).toBe("bundle_unknown_entrypoint");
  });

  test("the same inputs give the same bytes; a different revision gives different bytes", () => {
    const a = build();
    const b = build({ ...REQUEST, modules: [...REQUEST.modules], dataFiles: [...REQUEST.dataFiles].reverse() });
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    const c = build({ ...REQUEST, revision: "def456" });
    expect(Buffer.from(a).equals(Buffer.from(c))).toBe(false);
  });

  test("Rego v0 sources are compiled as v0 and the manifest says rego_version 0", () => {
    const v0 = "package legacy\n\ndeny[msg] {\n  input.kind == \"Pod\"\n  msg := \"no pods\"\n}\n";
    const bytes = build({ modules: [{ file: "legacy.rego", text: v0 }], dataFiles: [], entrypoints: ["legacy/deny"], regoVersion: "v0" });
    const b = readBundle(bytes);
    expect(b.manifest.rego_version).toBe(0);
    expect(BundlePolicy.loadSync(b).evaluate("legacy/deny", { kind: "Pod" })).toEqual([{ result: ["no pods"] }]);
  });

  test("an input that cannot be written (a BigInt, a throwing toJSON) is a PolicyEvalError, as evaluation errors are", () => {
    const v0 = "package legacy\n\ndeny[msg] {\n  input.kind == \"Pod\"\n  msg := \"no pods\"\n}\n";
    const policy = BundlePolicy.loadSync(readBundle(build({ modules: [{ file: "legacy.rego", text: v0 }], dataFiles: [], entrypoints: ["legacy/deny"], regoVersion: "v0" })));
    expect(() => policy.evaluate("legacy/deny", { kind: 1n })).toThrow(PolicyEvalError);
    const throwing = { kind: "Pod", toJSON: () => { throw new Error("no JSON here"); } };
    expect(() => policy.evaluate("legacy/deny", throwing)).toThrow(expect.objectContaining({ name: "PolicyEvalError", message: expect.stringContaining("no JSON here") }));
  });

  test("build errors: compile errors keep file:line, unknown entrypoints and data conflicts are named", () => {
    const broken = buildBundle({ modules: [{ file: "p/broken.rego", text: "package p\n\nallow if {\n  x := \n}\n" }], dataFiles: [], entrypoints: ["p/allow"] });
    expect(broken.bundle).toBeUndefined();
    expect(broken.diagnostics[0]?.span.file).toBe("p/broken.rego");
    expect(broken.diagnostics[0]?.span.start.line).toBeGreaterThanOrEqual(4);

    const unknown = buildBundle({ ...REQUEST, entrypoints: ["k8s/images/nope"] });
    expect(unknown.bundle).toBeUndefined();
    expect(unknown.errors.map((e) => e.code)).toEqual(["bundle_unknown_entrypoint"]);
    expect(unknown.errors[0]?.message).toContain("k8s/images/nope");

    const conflict = buildBundle({
      ...REQUEST,
      dataFiles: [
        { file: "a/data.json", dataPath: ["a"], text: '{"x": 1}' },
        { file: "a/more.yaml", dataPath: ["a"], text: "x: 2\n" },
      ],
    });
    expect(conflict.errors.map((e) => [e.code, e.entry])).toEqual([["bundle_data_invalid", "a/more.yaml"]]);
  });
});
