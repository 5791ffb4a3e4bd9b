import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cacheDirFromEnv, cacheMaxBytesFromEnv, compilerVersion, DiskCompileStore } from "../../src/rego/compile-cache.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "fleetward-compile-cache-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A valid WebAssembly module (header and one custom section) holding n bytes of `fill`: the store validates what it reads. */
function bytes(n: number, fill: number): Uint8Array {
  const leb: number[] = [];
  for (let v = n + 2; ; v >>>= 7) {
    leb.push((v & 0x7f) | (v >= 0x80 ? 0x80 : 0));
    if (v < 0x80) break;
  }
  return Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 0, ...leb, 1, 0x78, ...new Uint8Array(n).fill(fill)]);
}
const entries = () => readdirSync(join(dir, "modules"));

test("a module put by one store is read by another (a later process) with the same compiler version", () => {
  new DiskCompileStore({ dir, maxBytes: 1 << 20, compilerVersion: "v1" }).put("k", bytes(100, 7));
  const later = new DiskCompileStore({ dir, maxBytes: 1 << 20, compilerVersion: "v1" });
  expect(later.get("k")).toEqual(bytes(100, 7));
  expect(later.stats).toMatchObject({ hits: 1, misses: 0 });
  expect(later.get("other")).toBeUndefined();
  expect(entries().filter((n) => n.endsWith(".tmp"))).toEqual([]);
});

test("another compiler version does not see the entries", () => {
  new DiskCompileStore({ dir, maxBytes: 1 << 20, compilerVersion: "v1" }).put("k", bytes(10, 1));
  expect(new DiskCompileStore({ dir, maxBytes: 1 << 20, compilerVersion: "v2" }).get("k")).toBeUndefined();
});

test("a corrupt or truncated entry is ignored, reported once, and rewritten by the next put", () => {
  const lines: string[] = [];
  const store = new DiskCompileStore({ dir, maxBytes: 1 << 20, compilerVersion: "v1", debug: (l) => lines.push(l) });
  store.put("k", bytes(64, 3));
  const [name] = entries();
  const file = join(dir, "modules", name as string);
  const good = readFileSync(file);
  const flipped = Buffer.from(good);
  flipped.writeUInt8(flipped.readUInt8(flipped.length - 1) ^ 0xff, flipped.length - 1);
  writeFileSync(file, flipped);
  expect(store.get("k")).toBeUndefined();
  writeFileSync(file, good.subarray(0, 20));
  expect(store.get("k")).toBeUndefined();
  expect(store.stats.corrupt).toBe(2);
  expect(lines.filter((l) => l.includes("corrupt"))).toHaveLength(2);
  store.put("k", bytes(64, 3));
  expect(store.get("k")).toEqual(bytes(64, 3));
});

test("an entry is trusted only when it names its own key and holds a valid module", () => {
  const store = new DiskCompileStore({ dir, maxBytes: 1 << 20, compilerVersion: "v1" });
  store.put("a", bytes(64, 1));
  store.put("b", bytes(64, 2));
  const file = (key: string) => join(dir, "modules", `${createHash("sha256").update(`v1\0${key}`).digest("hex")}.fwc`);
  // b's whole entry copied over a's name: its hashes match its bytes, but it is another key's module.
  writeFileSync(file("a"), readFileSync(file("b")));
  expect(store.get("a")).toBeUndefined();
  // An entry whose header and hash are right but whose bytes are no WebAssembly module.
  const junk = new Uint8Array(64).fill(9);
  store.put("c", junk);
  expect(store.get("c")).toBeUndefined();
  expect(store.stats.corrupt).toBe(2);
  expect(store.get("b")).toEqual(bytes(64, 2));
});

test("the folder stays within maxBytes: the oldest entries are evicted, a hit counts as recent use", () => {
  const store = new DiskCompileStore({ dir, maxBytes: 3 * 1100, compilerVersion: "v1" });
  // a, b, c written at clearly ordered times; then a is used, so b becomes the oldest.
  ["a", "b", "c"].forEach((key, i) => {
    const before = new Set(existsSync(join(dir, "modules")) ? entries() : []);
    store.put(key, bytes(1000, i + 1));
    const added = entries().find((n) => !before.has(n)) as string;
    utimesSync(join(dir, "modules", added), new Date(1_000_000 + i * 1000), new Date(1_000_000 + i * 1000));
  });
  expect(store.get("a")).toBeDefined();
  const remaining = () => ["a", "b", "c", "d"].filter((k) => new DiskCompileStore({ dir, maxBytes: 1 << 20, compilerVersion: "v1" }).get(k) !== undefined);
  store.put("d", bytes(1000, 4));
  expect(store.stats.evicted).toBe(1);
  expect(entries()).toHaveLength(3);
  // b was the oldest once a was used.
  expect(remaining()).toEqual(["a", "c", "d"]);
});

test("a temporary file left by an ended process is removed after an hour; a fresh one (a write in progress) is kept", () => {
  const store = new DiskCompileStore({ dir, maxBytes: 1 << 20, compilerVersion: "v1" });
  store.put("a", bytes(10, 1));
  const stale = join(dir, "modules", "x.fwc.1.ab.tmp");
  const fresh = join(dir, "modules", "y.fwc.2.cd.tmp");
  writeFileSync(stale, "half");
  writeFileSync(fresh, "half");
  utimesSync(stale, new Date(Date.now() - 2 * 3_600_000), new Date(Date.now() - 2 * 3_600_000));
  store.put("b", bytes(10, 2));
  expect([existsSync(stale), existsSync(fresh)]).toEqual([false, true]);
});

test("an unwritable folder falls back to memory: no error, one debug line, entries still served", () => {
  const blocker = join(dir, "a-file");
  writeFileSync(blocker, "not a folder");
  const lines: string[] = [];
  const store = new DiskCompileStore({ dir: join(blocker, "cache"), maxBytes: 1 << 20, compilerVersion: "v1", debug: (l) => lines.push(l) });
  expect(() => store.put("k", bytes(10, 5))).not.toThrow();
  store.put("k2", bytes(10, 6));
  expect(store.inMemory).toBe(true);
  expect(store.get("k")).toEqual(bytes(10, 5));
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/not writable \(ENOTDIR\); keeping compiled modules in memory/);
});

test("the folder and size come from the environment, with defaults and a clear error", () => {
  expect(cacheDirFromEnv({ FLEETWARD_CACHE_DIR: "/x/y" })).toBe("/x/y");
  expect(cacheDirFromEnv({ XDG_CACHE_HOME: "/xdg" })).toBe("/xdg/fleetward");
  expect(cacheDirFromEnv({})).toMatch(/\.cache\/fleetward$/);
  expect(cacheMaxBytesFromEnv({})).toBe(256 * 1024 * 1024);
  expect(cacheMaxBytesFromEnv({ FLEETWARD_CACHE_MAX_MB: "2" })).toBe(2 * 1024 * 1024);
  expect(cacheMaxBytesFromEnv({ FLEETWARD_CACHE_MAX_MB: "lots" })).toEqual({ error: 'FLEETWARD_CACHE_MAX_MB must be a positive number of MiB (got "lots")' });
  expect(cacheMaxBytesFromEnv({ FLEETWARD_CACHE_MAX_MB: "0" })).toHaveProperty("error");
});

test("the compiler version is a stable hash of the compiler's code, runtime and binaryen", () => {
  expect(compilerVersion()).toMatch(/^[0-9a-f]{64}$/);
  expect(compilerVersion()).toBe(compilerVersion());
});
