/**
 * `-b/--bundle` of `fleetward eval`: an OPA bundle given as a `.tar.gz` file or as a folder laid out like one
 * (`.manifest`, `data.json`, `policy.wasm`, `.rego` files). A folder is packed in memory and read by the same
 * `readBundle` as an archive, so both get the same validation and the same BundleError codes.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { Bundle } from "../../rego/bundle/bundle-types.js";
import { readBundle } from "../../rego/bundle/read-bundle.js";
import { type TarFile, writeTarArchive } from "../../rego/bundle/write-tar-archive.js";

async function folderEntries(root: string, rel: string[], into: TarFile[]): Promise<void> {
  for (const name of (await readdir(join(root, ...rel))).sort()) {
    const relPath = [...rel, name];
    const full = join(root, ...relPath);
    if ((await stat(full)).isDirectory()) await folderEntries(root, relPath, into);
    else into.push({ path: "/" + relPath.join("/"), data: new Uint8Array(await readFile(full)) });
  }
}

export async function readBundlePath(path: string): Promise<Bundle> {
  if (!(await stat(path)).isDirectory()) return readBundle(new Uint8Array(await readFile(path)), { requireWasm: false });
  const files: TarFile[] = [];
  await folderEntries(path, [], files);
  return readBundle(new Uint8Array(gzipSync(writeTarArchive(files))), { requireWasm: false });
}
