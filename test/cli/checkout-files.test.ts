/**
 * Listing and reading a local working tree for `fleetward check` and `fleetward diff` (checkout-files.ts): synchronous
 * reads in chunks. The listing is depth first and sorted by name per folder (a folder's files at its place among its
 * siblings), skips `.git`, `node_modules` and anything that is neither a file nor a folder, and the event loop gets a
 * turn between chunks; files that cannot be read are left out of what is read, in the order asked.
 */
import { mkdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { listFiles, READ_CHUNK, readWorktreeFiles } from "../../src/cli/checkout-files.js";
import { useTempRepo } from "../helpers/use-temp-repo.js";

const repo = useTempRepo("fleetward-checkout-files-");

/** Counts turns of the event loop until stopped. */
function countTurns(): { stop: () => number } {
  let turns = 0;
  let running = true;
  const tick = (): void => {
    turns++;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  return {
    stop: () => {
      running = false;
      return turns;
    },
  };
}

describe("listFiles", () => {
  test("depth first, by name per folder, without .git, node_modules, symlinks or other entries", async () => {
    await repo.writeFiles({
      "b.yaml": "b",
      "a.txt": "a",
      "a/z.yaml": "z",
      "a/b/c.yaml": "c",
      "a-b/x.json": "x",
      "B/upper.yaml": "u",
      ".github/fleetward.yml": "c",
      ".git/config": "g",
      "node_modules/x/index.js": "n",
      "deep/er/still/deeper/f.yaml": "f",
    });
    mkdirSync(join(repo.dir, "empty"));
    symlinkSync(join(repo.dir, "b.yaml"), join(repo.dir, "link.yaml"));
    symlinkSync(join(repo.dir, "a"), join(repo.dir, "linked-folder"));
    expect(await listFiles(repo.dir)).toEqual([
      ".github/fleetward.yml",
      "B/upper.yaml",
      "a/b/c.yaml",
      "a/z.yaml",
      "a-b/x.json",
      "a.txt",
      "b.yaml",
      "deep/er/still/deeper/f.yaml",
    ]);
  });

  test("a missing folder is an error; an empty one lists nothing", async () => {
    await expect(listFiles(join(repo.dir, "nope"))).rejects.toThrow(/ENOENT/);
    expect(await listFiles(repo.dir)).toEqual([]);
  });

  test("the event loop gets a turn between chunks of folders", async () => {
    const folders = 3 * READ_CHUNK;
    const files: Record<string, string> = {};
    for (let i = 0; i < folders; i++) files[`d${String(i).padStart(4, "0")}/f.yaml`] = `${i}`;
    await repo.writeFiles(files);
    const turns = countTurns();
    const listed = await listFiles(repo.dir);
    expect(turns.stop()).toBeGreaterThanOrEqual(2);
    expect(listed).toEqual(Object.keys(files));
  });
});

describe("readWorktreeFiles", () => {
  test("texts in the order asked; missing files and folders left out", async () => {
    await repo.writeFiles({ "a.yaml": "kind: A\n", "sub/b.json": "{}", "é/ü.yaml": "x: é\n" });
    const texts = await readWorktreeFiles(repo.dir, ["sub/b.json", "missing.yaml", "a.yaml", "sub", "é/ü.yaml"]);
    expect([...texts]).toEqual([
      ["sub/b.json", "{}"],
      ["a.yaml", "kind: A\n"],
      ["é/ü.yaml", "x: é\n"],
    ]);
  });

  test("reads in chunks, giving the event loop turns", async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 3 * READ_CHUNK; i++) files[`f${i}.yaml`] = `n: ${i}\n`;
    await repo.writeFiles(files);
    const turns = countTurns();
    const texts = await readWorktreeFiles(repo.dir, Object.keys(files));
    expect(turns.stop()).toBeGreaterThanOrEqual(2);
    expect(Object.fromEntries(texts)).toEqual(files);
  });
});
