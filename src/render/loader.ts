/**
 * What a render may read, with Kustomize's load restrictions: a file a kustomization names must be inside that
 * kustomization's folder tree (`../../etc/passwd`, `../other/file.yaml` are refused); a folder holding a kustomization
 * may be anywhere in the repository (`../base`); nothing outside the repository; remote locations (URLs, `git::`,
 * `github.com/…`) are not supported. Every file read is recorded (`RenderResult.files`).
 */
import type { RenderFs, SourcePos } from "./api.js";
import { parseKYamlCached } from "./kyaml.js";
import type { KDocument } from "./kyaml.js";
import { isWithin, joinPath } from "./paths.js";
import { RenderError } from "./render-error.js";

const REMOTE = /^(?:[a-z][a-z0-9+.-]*:\/\/|git::|git@|github\.com[/:]|gitlab\.com\/|bitbucket\.org\/|ssh:)/i;

/** True for a location Kustomize would fetch (URL, git, GitHub shorthand). */
export function isRemote(path: string): boolean {
  return REMOTE.test(path) || /\?ref=|\/\/.*\?/.test(path);
}

export type Target = { kind: "file"; path: string } | { kind: "dir"; path: string };

export class Loader {
  /** Every file read. */
  readonly files = new Set<string>();

  constructor(readonly fs: RenderFs) {}

  /** Resolves `rel` named by the kustomization in folder `dir`; errors at `at`. */
  resolve(dir: string, rel: string, at: SourcePos): Target {
    if (isRemote(rel)) {
      throw new RenderError("render_unsupported_remote", `remote resource '${rel}' is not supported: Fleetward renders only what is in the repository`, at);
    }
    if (rel.startsWith("/")) throw new RenderError("render_path_outside_repo", `absolute path '${rel}' is not supported: paths are relative to the kustomization`, at);
    const path = joinPath(dir, rel);
    if (path === undefined) throw new RenderError("render_path_outside_repo", `'${rel}' is outside the repository`, at);
    if (this.fs.isDir(path)) return { kind: "dir", path };
    if (this.fs.readFile(path) !== undefined) {
      if (!isWithin(path, dir)) {
        throw new RenderError("render_load_restricted", `security: file '${rel}' is not in or below '${dir || "."}' (Kustomize's load restriction: a kustomization reads only files in its own folder tree)`, at);
      }
      return { kind: "file", path };
    }
    throw new RenderError("render_missing_file", `'${rel}' does not exist (neither a file nor a folder with a kustomization)`, at);
  }

  /** The text of a file named by the kustomization in `dir` (must be a file inside its tree). */
  readRestricted(dir: string, rel: string, at: SourcePos): { path: string; text: string } {
    const t = this.resolve(dir, rel, at);
    if (t.kind === "dir") throw new RenderError("render_not_a_file", `'${rel}' is a folder, a file was expected`, at);
    return { path: t.path, text: this.read(t.path) };
  }

  /** Reads a file already known to exist and records it. */
  read(path: string): string {
    const text = this.fs.readFile(path);
    if (text === undefined) throw new RenderError("render_missing_file", `'${path}' does not exist`, { file: path, line: 1 });
    this.files.add(path);
    return text;
  }

  /** Reads a YAML file named by a kustomization, in Kustomize's dialect. */
  readYaml(dir: string, rel: string, at: SourcePos): { path: string; docs: KDocument[] } {
    const { path, text } = this.readRestricted(dir, rel, at);
    return { path, docs: parseKYamlCached(text, path) };
  }
}
