import { gzipSync } from "node:zlib";
import { compile } from "../../../src/rego/compile.js";
import { BundleError, type BundleErrorCode } from "../../../src/rego/bundle/bundle-error.js";
import { BundlePolicy } from "../../../src/rego/bundle/bundle-policy.js";
import { readBundle, type ReadBundleOptions } from "../../../src/rego/bundle/read-bundle.js";
import { ensureRuntimeBuilt } from "../runtime/ensure-runtime-built.js";
import { fixtureTar, fixtureTarGz, type FixtureEntry } from "./tar-fixture.js";

beforeAll(() => ensureRuntimeBuilt());

const AUTHZ = "package http.example.authz\n\nallow if input.user in data.http.example.authz.admins\n\nadmins_count := count(data.http.example.authz.admins)\n";

let wasmCache: Uint8Array | undefined;
function authzWasm(): Uint8Array {
  if (wasmCache === undefined) {
    const r = compile({ modules: [{ file: "authz.rego", text: AUTHZ }], entrypoints: ["http/example/authz/allow", "http/example/authz/admins_count"] });
    if (!r.wasm) throw new Error(r.diagnostics.map((d) => d.message).join("\n"));
    wasmCache = r.wasm;
  }
  return wasmCache;
}

function codeOf(fn: () => unknown): BundleErrorCode | string {
  try {
    fn();
  } catch (e) {
    return e instanceof BundleError ? e.code : `not a BundleError: ${String(e)}`;
  }
  return "no error";
}

const MANIFEST = JSON.stringify({ revision: "", roots: [""], wasm: [{ entrypoint: "http/example/authz/allow", module: "/policy.wasm" }] }) + "\n";

function withWasm(entries: FixtureEntry[]): FixtureEntry[] {
  return [...entries, { name: "/policy.wasm", data: authzWasm() }];
}

function read(entries: FixtureEntry[], options?: ReadBundleOptions) {
  return readBundle(fixtureTarGz(entries), options);
}

describe("readBundle: a bundle laid out exactly as OPA writes one", () => {
  // `opa build -t wasm -e http/example/authz/allow bundle` (OPA's bundle docs): leading-slash names, data first,
  // the Rego source under the path it was given, the module, then the manifest with OPA's field names.
  const opaEntries: FixtureEntry[] = [
    { name: "/data.json", data: '{"http":{"example":{"authz":{"admins":["alice"]}}}}\n' },
    { name: "/bundle/http/example/authz/authz.rego", data: AUTHZ },
    { name: "/policy.wasm", data: new Uint8Array(0) },
    {
      name: "/.manifest",
      data: '{"revision":"7864d60d","roots":["http/example/authz"],"wasm":[{"entrypoint":"http/example/authz/allow","module":"/policy.wasm"}],"rego_version":1,"metadata":{"built_by":"ci"}}\n',
    },
  ];

  test("reads manifest, data, sources and module; loads and evaluates the manifest's entrypoint", async () => {
    const entries = opaEntries.map((e) => (e.name === "/policy.wasm" ? { ...e, data: authzWasm() } : e));
    const bytes = fixtureTarGz(entries);
    const b = readBundle(bytes);
    expect(b.manifest).toEqual({
      revision: "7864d60d",
      roots: ["http/example/authz"],
      wasm: [{ entrypoint: "http/example/authz/allow", module: "/policy.wasm" }],
      rego_version: 1,
      metadata: { built_by: "ci" },
    });
    expect(b.data).toEqual({ http: { example: { authz: { admins: ["alice"] } } } });
    expect(b.regoFiles.map((f) => f.path)).toEqual(["/bundle/http/example/authz/authz.rego"]);
    // The manifest lists one entrypoint: only that one is served, although the module exports two.
    for (const policy of [BundlePolicy.loadSync(bytes), await BundlePolicy.load(bytes)]) {
      expect(policy.entrypoints).toEqual(["http/example/authz/allow"]);
      expect(policy.evaluate("data.http.example.authz.allow", { user: "alice" })).toEqual([{ result: true }]);
      expect(policy.evaluate("http/example/authz/allow", { user: "mallory" })).toEqual([]);
    }
  });

  test("GNU tar archives with directory entries, ./ names and long names read the same", () => {
    const long = `${"deep/".repeat(30)}data.json`;
    const b = read(
      withWasm([
        { name: "./", type: "5" },
        { name: "./http/", type: "5" },
        { name: "./http/example/authz/data.json", data: '{"admins":["bob"]}' },
        { name: long, data: '{"x":1}', gnuLongName: true },
        { name: `pax/${"p".repeat(120)}/data.yaml`, data: "y: 2\n", paxPath: true },
      ]),
    );
    expect(b.hasManifest).toBe(false);
    expect(b.data.http).toEqual({ example: { authz: { admins: ["bob"] } } });
    let node: unknown = b.data;
    for (let i = 0; i < 30; i++) node = (node as Record<string, unknown>).deep;
    expect(node).toEqual({ x: 1 });
    expect((b.data.pax as Record<string, unknown>)["p".repeat(120)]).toEqual({ y: 2 });
  });

  test("OPA 0.x manifests without rego_version and with null roots get OPA's defaults", () => {
    const b = read(withWasm([{ name: "/.manifest", data: '{"revision":"r","roots":null}' }]));
    expect(b.manifest).toEqual({ revision: "r", roots: [""] });
  });
});

describe("readBundle: data placement", () => {
  test("data.json / data.yaml / data.yml go to their directory path; other JSON files are not data", () => {
    const b = read(
      withWasm([
        { name: "/data.json", data: '{"top": true}' },
        { name: "/roles/bindings/data.json", data: '[{"user":"alice","role":"admin"}]' },
        { name: "/roles/permissions/data.yaml", data: "admin: [read, write]\n" },
        { name: "/roles/extra/data.yml", data: "level: 3\n" },
        { name: "/roles/ignored.json", data: '{"not": "data"}' },
        { name: "/roles/empty/data.yaml", data: "" },
      ]),
    );
    expect(b.data).toEqual({
      top: true,
      roles: { bindings: [{ user: "alice", role: "admin" }], permissions: { admin: ["read", "write"] }, extra: { level: 3 } },
    });
  });

  test("a __proto__ key stays plain data", () => {
    const b = read(withWasm([{ name: "/data.json", data: '{"__proto__": {"polluted": true}}' }]));
    expect(Object.keys(b.data)).toEqual(["__proto__"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test("conflicting files, a non-object root file and undecodable files are bundle_data_invalid", () => {
    expect(codeOf(() => read(withWasm([{ name: "/data.json", data: '{"a": {"b": 1}}' }, { name: "/a/b/data.json", data: "2" }])))).toBe("bundle_data_invalid");
    expect(codeOf(() => read(withWasm([{ name: "/data.json", data: "[1]" }])))).toBe("bundle_data_invalid");
    expect(codeOf(() => read(withWasm([{ name: "/x/data.json", data: "{nope" }])))).toBe("bundle_data_invalid");
    expect(codeOf(() => read(withWasm([{ name: "/x/data.yaml", data: "a: &a [1]\nb: [*a, *a, *a]\n".replace("[*a, *a, *a]", Array(200).fill("*a").join(", ").replace(/^/, "[") + "]") }])))).toBe("bundle_data_invalid");
  });

  test("data outside the manifest roots is bundle_data_outside_roots", () => {
    const manifest = { name: "/.manifest", data: '{"roots":["http/example/authz"]}' };
    expect(codeOf(() => read(withWasm([manifest, { name: "/other/data.json", data: '{"x":1}' }])))).toBe("bundle_data_outside_roots");
    expect(codeOf(() => read(withWasm([manifest, { name: "/http/example/data.json", data: '{"authz":{"x":1},"else":2}' }])))).toBe("bundle_data_outside_roots");
    expect(read(withWasm([manifest, { name: "/http/example/data.json", data: '{"authz":{"x":1}}' }])).data).toEqual({ http: { example: { authz: { x: 1 } } } });
  });
});

describe("readBundle: manifests", () => {
  test("a missing manifest is allowed (OPA's defaults); the module then serves every entrypoint it exports", () => {
    const b = read(withWasm([]));
    expect(b.hasManifest).toBe(false);
    expect(b.manifest).toEqual({ revision: "", roots: [""] });
    const policy = BundlePolicy.loadSync(b);
    expect(policy.entrypoints).toEqual(["http/example/authz/admins_count", "http/example/authz/allow"]);
    expect(policy.evaluate("http/example/authz/admins_count")).toEqual([]);
  });

  test("no policy.wasm is bundle_missing_wasm (unless the caller only wants the sources)", () => {
    expect(codeOf(() => read([{ name: "/.manifest", data: MANIFEST.replace(/,"wasm".*\]/, "") }, { name: "/a.rego", data: AUTHZ }]))).toBe("bundle_missing_wasm");
    expect(read([{ name: "/a.rego", data: AUTHZ }], { requireWasm: false }).regoFiles).toHaveLength(1);
  });

  test.each([
    ["not JSON", "bundle_manifest_invalid", "{revision"],
    ["not an object", "bundle_manifest_invalid", "[]"],
    ["revision not a string", "bundle_manifest_invalid", '{"revision": 3}'],
    ["roots not strings", "bundle_manifest_invalid", '{"roots": [1]}'],
    ["bad wasm entry", "bundle_manifest_invalid", '{"wasm": [{"entrypoint": "a"}]}'],
    ["bad rego_version", "bundle_manifest_invalid", '{"rego_version": 2}'],
    ["module not in the bundle", "bundle_manifest_invalid", '{"wasm": [{"entrypoint": "http/example/authz/allow", "module": "/other/policy.wasm"}]}'],
    ["entrypoint outside the roots", "bundle_manifest_invalid", '{"roots": ["x"], "wasm": [{"entrypoint": "http/example/authz/allow", "module": "/policy.wasm"}]}'],
    ["one entrypoint twice", "bundle_manifest_invalid", '{"wasm": [{"entrypoint": "a/b", "module": "/policy.wasm"}, {"entrypoint": "data.a.b", "module": "policy.wasm"}]}'],
    ["overlapping roots", "bundle_roots_overlap", '{"roots": ["a/b", "a/b/c"]}'],
    ["the empty root with another", "bundle_roots_overlap", '{"roots": ["", "x"]}'],
  ])("%s: %s", (_what, code, manifest) => {
    expect(codeOf(() => read(withWasm([{ name: "/.manifest", data: manifest }])))).toBe(code);
  });

  test("a manifest entrypoint the module does not export fails when loading, naming what it exports", () => {
    const b = read(withWasm([{ name: "/.manifest", data: '{"wasm": [{"entrypoint": "http/example/authz/deny", "module": "/policy.wasm"}]}' }]));
    let caught: unknown;
    try {
      BundlePolicy.loadSync(b);
    } catch (e) {
      caught = e;
    }
    expect((caught as BundleError).code).toBe("bundle_manifest_invalid");
    expect((caught as BundleError).message).toContain("http/example/authz/allow");
  });

  test("a module that is not Wasm is bundle_wasm_invalid", async () => {
    const bytes = fixtureTarGz([{ name: "/policy.wasm", data: "not wasm" }]);
    expect(codeOf(() => BundlePolicy.loadSync(bytes))).toBe("bundle_wasm_invalid");
    await expect(BundlePolicy.load(bytes)).rejects.toMatchObject({ code: "bundle_wasm_invalid" });
  });
});

describe("readBundle: hostile archives", () => {
  test.each([
    ["../ in the middle", "/a/../../etc/data.json"],
    ["leading ../", "../outside/policy.wasm"],
    ["backslashes", "..\\..\\x\\data.json"],
  ])("path traversal (%s) is bundle_path_traversal", (_what, name) => {
    expect(codeOf(() => read(withWasm([{ name, data: "{}" }])))).toBe("bundle_path_traversal");
  });

  test("a gzip bomb stops at the decompressed-size cap with bundle_too_large", () => {
    // 24 MiB of zeros compresses to about 24 KiB.
    const bomb = fixtureTarGz(withWasm([{ name: "/zeros.bin", data: new Uint8Array(24 * 1024 * 1024) }]));
    expect(bomb.length).toBeLessThan(100 * 1024);
    expect(codeOf(() => readBundle(bomb, { limits: { maxUncompressedBytes: 8 * 1024 * 1024 } }))).toBe("bundle_too_large");
    expect(codeOf(() => readBundle(bomb, { limits: { maxCompressedBytes: 1024 } }))).toBe("bundle_too_large");
    // Under the default caps (128 MiB) the same archive is read, and the zeros are no data.
    expect(readBundle(bomb).wasmModules).toHaveLength(1);
  });

  test("too many entries is bundle_too_large", () => {
    const many = Array.from({ length: 50 }, (_, i) => ({ name: `/f${i}.txt`, data: "x" }));
    expect(codeOf(() => read(withWasm(many), { limits: { maxEntries: 20 } }))).toBe("bundle_too_large");
    expect(read(withWasm(many), { limits: { maxEntries: 60 } }).wasmModules).toHaveLength(1);
  });

  test("truncated or foreign gzip is bundle_gzip_error", () => {
    const good = fixtureTarGz(withWasm([{ name: "/.manifest", data: MANIFEST }]));
    expect(codeOf(() => readBundle(good.subarray(0, good.length - 40)))).toBe("bundle_gzip_error");
    expect(codeOf(() => readBundle(new TextEncoder().encode("PK\u0003\u0004 a zip file")))).toBe("bundle_gzip_error");
    expect(codeOf(() => readBundle(new Uint8Array(0)))).toBe("bundle_gzip_error");
  });

  test("a truncated tar, a bad checksum, links and duplicates are rejected", () => {
    const tar = fixtureTar(withWasm([{ name: "/.manifest", data: MANIFEST }]), { noTrailer: true });
    expect(codeOf(() => readBundle(gzipSync(tar.subarray(0, tar.length - 700))))).toBe("bundle_tar_error");
    expect(codeOf(() => readBundle(gzipSync(tar.subarray(0, 300))))).toBe("bundle_tar_error");
    expect(codeOf(() => read(withWasm([{ name: "/data.json", data: "{}", badChecksum: true }])))).toBe("bundle_tar_error");
    expect(codeOf(() => read(withWasm([{ name: "/evil/data.json", type: "2" }])))).toBe("bundle_tar_error");
    expect(codeOf(() => read(withWasm([{ name: "/data.json", data: "{}" }, { name: "data.json", data: '{"x":1}' }])))).toBe("bundle_duplicate_entry");
  });
});
