import { readTarArchive } from "../../../src/rego/bundle/read-tar-archive.js";
import { writeTarArchive } from "../../../src/rego/bundle/write-tar-archive.js";

const enc = new TextEncoder();

describe("ustar writer and reader", () => {
  test("short names, names split into ustar's prefix, PAX names, empty and binary files round-trip", () => {
    const files = [
      { path: "/data.json", data: enc.encode("{}\n") },
      { path: `/${"dir/".repeat(30)}policy.rego`, data: enc.encode("package x\n") },
      { path: `/${"n".repeat(300)}.rego`, data: enc.encode("package y\n") },
      { path: "/ünïcødé/data.json", data: enc.encode('{"a":1}') },
      { path: "/empty", data: new Uint8Array(0) },
      { path: "/policy.wasm", data: Uint8Array.from({ length: 1500 }, (_, i) => (i * 37) % 256) },
    ];
    const tar = writeTarArchive(files);
    expect(tar.length % 512).toBe(0);
    expect(tar.subarray(tar.length - 1024).every((b) => b === 0)).toBe(true);
    const back = readTarArchive(tar, { maxEntries: 100 });
    expect(back.map((e) => e.path)).toEqual(files.map((f) => f.path));
    back.forEach((e, i) => expect(Buffer.from(e.data).equals(Buffer.from(files[i]?.data ?? new Uint8Array(1)))).toBe(true));
  });

  test("headers are OPA's: mode 0600, uid/gid 0, mtime 0, ustar magic", () => {
    const tar = writeTarArchive([{ path: "/.manifest", data: enc.encode("{}") }]);
    const text = (from: number, to: number) => new TextDecoder().decode(tar.subarray(from, to));
    expect(text(0, 10)).toBe("/.manifest");
    expect(text(100, 108)).toBe("0000600\0");
    expect(text(108, 116)).toBe("0000000\0");
    expect(text(136, 148)).toBe("00000000000\0");
    expect(text(257, 265)).toBe("ustar\u000000");
    expect(text(156, 157)).toBe("0");
  });

  test("the same files give the same bytes", () => {
    const files = [{ path: "/a", data: enc.encode("1") }];
    expect(Buffer.from(writeTarArchive(files)).equals(Buffer.from(writeTarArchive(files)))).toBe(true);
  });
});
