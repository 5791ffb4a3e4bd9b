/** The repository at a commit: every file path with its content, either in memory or read lazily. */
export type RepositoryTree = ReadonlyMap<string, string> | { paths: readonly string[]; read(path: string): string | undefined };

/** The paths and a reader of either tree form. */
export function treeReader(tree: RepositoryTree): { paths: readonly string[]; read(path: string): string | undefined } {
  if (tree instanceof Map) return { paths: [...tree.keys()], read: (p) => tree.get(p) };
  const lazy = tree as { paths: readonly string[]; read(path: string): string | undefined };
  return { paths: lazy.paths, read: (p) => lazy.read(p) };
}
