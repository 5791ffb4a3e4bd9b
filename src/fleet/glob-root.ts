/** Characters that make a glob segment magic for minimatch (wildcards, classes, braces, extglobs). */
const MAGIC = /[*?[\]{}()!+@]/;

/**
 * The literal folder prefix of a glob, ending in `/` (or `""` when the first segment is already magic):
 * `envs/dev/**` → `envs/dev/`, `envs/dev-*` + `/**` → `envs/`, `clusters/eu/*.yaml` → `clusters/eu/`.
 * A glob with no magic at all is a literal file path; its root is the folder holding it.
 */
export function globRoot(glob: string): string {
  const segments = glob.split("/");
  const firstMagic = segments.findIndex((s) => MAGIC.test(s));
  if (firstMagic === -1) return glob.slice(0, glob.lastIndexOf("/") + 1);
  return segments.slice(0, firstMagic).map((s) => `${s}/`).join("");
}
