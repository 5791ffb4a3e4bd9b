import { readFileSync, readdirSync, realpathSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import type { RenderFs } from "./api.js";

/**
 * A RenderFs over a folder on disk (the repository root): repository paths are resolved under it, and a path whose
 * real location (symbolic links followed) is outside it reads as missing, so a render never sees other files.
 */
export class DiskFs implements RenderFs {
  private readonly root: string;

  constructor(root: string) {
    this.root = realpathSync(root);
  }

  private resolve(path: string): string | undefined {
    try {
      const real = realpathSync(join(this.root, ...path.split("/").filter((s) => s !== "")));
      const rel = relative(this.root, real);
      if (rel.startsWith("..") || rel.split(sep).includes("..")) return undefined;
      return real;
    } catch {
      return undefined;
    }
  }

  readFile(path: string): string | undefined {
    const real = this.resolve(path);
    if (real === undefined) return undefined;
    try {
      return statSync(real).isFile() ? readFileSync(real, "utf8") : undefined;
    } catch {
      return undefined;
    }
  }

  listDir(path: string): string[] | undefined {
    const real = this.resolve(path);
    if (real === undefined || !this.isDir(path)) return undefined;
    return readdirSync(real).sort();
  }

  isDir(path: string): boolean {
    const real = this.resolve(path);
    if (real === undefined) return false;
    try {
      return statSync(real).isDirectory();
    } catch {
      return false;
    }
  }
}
