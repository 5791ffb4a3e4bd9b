import type { RenderFs } from "./api.js";

/**
 * A RenderFs over texts in memory: `path → text`, folders implied by the paths (`a/b/c.yaml` makes folders `a` and
 * `a/b`). Paths are normalized on the way in (a leading `./` or `/` is dropped).
 */
export class MemoryFs implements RenderFs {
  private readonly files = new Map<string, string>();
  private readonly dirs = new Map<string, Set<string>>([["", new Set()]]);

  constructor(files: Map<string, string> | Record<string, string>) {
    const entries = files instanceof Map ? [...files] : Object.entries(files);
    for (const [path, text] of entries) this.add(path, text);
  }

  private add(rawPath: string, text: string): void {
    const path = rawPath.replace(/^(\.\/|\/)+/, "").replace(/\/+$/, "");
    this.files.set(path, text);
    const segs = path.split("/");
    for (let i = 0; i < segs.length; i++) {
      const parent = segs.slice(0, i).join("/");
      let set = this.dirs.get(parent);
      if (!set) this.dirs.set(parent, (set = new Set()));
      set.add(segs[i]!);
    }
  }

  readFile(path: string): string | undefined {
    return this.files.get(path);
  }

  listDir(path: string): string[] | undefined {
    const set = this.dirs.get(path);
    return set ? [...set].sort() : undefined;
  }

  isDir(path: string): boolean {
    return this.dirs.has(path);
  }
}
