/**
 * A minimal tar reader for OPA bundles: ustar, GNU and PAX headers as Go's `archive/tar` and GNU tar write them.
 * Regular files are returned; directories and global PAX headers are skipped; links, devices and FIFOs are errors
 * (a bundle has no use for them). Every header checksum is verified and no entry may run past the end.
 */
import { BundleError } from "./bundle-error.js";

const BLOCK = 512;
const decoder = new TextDecoder();

export interface TarEntry {
  /** The entry name exactly as stored (PAX `path` and GNU long names applied). */
  path: string;
  data: Uint8Array;
}

export interface ReadTarOptions {
  /** At most this many entries (of any type, headers included). */
  maxEntries: number;
  /** Leave out hard and symbolic links instead of failing on them (GitHub's repository tarballs keep symlinks). */
  skipLinks?: boolean;
}

function field(block: Uint8Array, offset: number, length: number): string {
  const bytes = block.subarray(offset, offset + length);
  const nul = bytes.indexOf(0);
  return decoder.decode(nul === -1 ? bytes : bytes.subarray(0, nul));
}

/** A numeric field: octal text (spaces and NULs around it), or GNU base-256 when the high bit is set. */
function numeric(block: Uint8Array, offset: number, length: number, what: string): number {
  const first = block[offset] ?? 0;
  if ((first & 0x80) !== 0) {
    if ((first & 0x40) !== 0) throw new BundleError("bundle_tar_error", `negative ${what} in a tar header`);
    let value = first & 0x3f;
    for (let i = 1; i < length; i++) {
      value = value * 256 + (block[offset + i] ?? 0);
      if (!Number.isSafeInteger(value)) throw new BundleError("bundle_tar_error", `${what} too large in a tar header`);
    }
    return value;
  }
  const text = field(block, offset, length).trim();
  if (text === "") return 0;
  if (!/^[0-7]+$/.test(text)) throw new BundleError("bundle_tar_error", `invalid ${what} "${text}" in a tar header`);
  return parseInt(text, 8);
}

function checksumOk(block: Uint8Array): boolean {
  const stored = numeric(block, 148, 8, "checksum");
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const b = i >= 148 && i < 156 ? 0x20 : (block[i] as number);
    unsigned += b;
    signed += b >= 128 ? b - 256 : b;
  }
  return stored === unsigned || stored === signed;
}

/** PAX records `"<len> key=value\n"`; returns the keys Fleetward uses. */
function parsePax(data: Uint8Array): Map<string, string> {
  const records = new Map<string, string>();
  let offset = 0;
  while (offset < data.length) {
    const space = data.indexOf(0x20, offset);
    if (space === -1) throw new BundleError("bundle_tar_error", "malformed PAX header");
    const length = Number(decoder.decode(data.subarray(offset, space)));
    if (!Number.isInteger(length) || length <= space - offset || offset + length > data.length) {
      throw new BundleError("bundle_tar_error", "malformed PAX record length");
    }
    const record = decoder.decode(data.subarray(space + 1, offset + length - 1));
    const eq = record.indexOf("=");
    if (eq === -1) throw new BundleError("bundle_tar_error", "malformed PAX record");
    records.set(record.slice(0, eq), record.slice(eq + 1));
    offset += length;
  }
  return records;
}

const unsupported = (typeflag: string, path: string) =>
  new BundleError("bundle_tar_error", `unsupported tar entry type "${typeflag}" for ${path} (links and devices are not allowed in a bundle)`);

/** The regular files of a tar archive, in archive order. Throws BundleError (`bundle_tar_error`, `bundle_too_large`). */
export function readTarArchive(tar: Uint8Array, options: ReadTarOptions): TarEntry[] {
  const entries: TarEntry[] = [];
  let offset = 0;
  let count = 0;
  let pendingPath: string | undefined;
  while (offset + BLOCK <= tar.length) {
    const block = tar.subarray(offset, offset + BLOCK);
    if (block.every((b) => b === 0)) return entries;
    if (++count > options.maxEntries) {
      throw new BundleError("bundle_too_large", `the archive has more than ${options.maxEntries} entries`);
    }
    if (!checksumOk(block)) throw new BundleError("bundle_tar_error", `bad header checksum at byte ${offset}`);
    const size = numeric(block, 124, 12, "size");
    const typeflag = String.fromCharCode(block[156] ?? 0);
    const dataStart = offset + BLOCK;
    const dataEnd = dataStart + size;
    if (dataEnd > tar.length) throw new BundleError("bundle_tar_error", `entry at byte ${offset} runs past the end of the archive (truncated?)`);
    const data = tar.subarray(dataStart, dataEnd);
    offset = dataStart + Math.ceil(size / BLOCK) * BLOCK;

    const magic = field(block, 257, 6);
    // POSIX ustar keeps long names' leading part in `prefix`; GNU's "ustar  " magic uses those bytes for other fields.
    const prefix = magic === "ustar" ? field(block, 345, 155) : "";
    const name = field(block, 0, 100);
    const headerPath = prefix !== "" ? `${prefix}/${name}` : name;

    switch (typeflag) {
      case "x": {
        const path = parsePax(data).get("path");
        if (path !== undefined) pendingPath = path;
        continue;
      }
      case "g":
        continue;
      case "L":
        pendingPath = field(data, 0, data.length);
        continue;
      case "K":
        continue;
      case "0":
      case "\0":
      case "7": {
        entries.push({ path: pendingPath ?? headerPath, data });
        pendingPath = undefined;
        continue;
      }
      case "5":
        pendingPath = undefined;
        continue;
      case "1":
      case "2":
        if (options.skipLinks !== true) throw unsupported(typeflag, pendingPath ?? headerPath);
        pendingPath = undefined;
        continue;
      default:
        throw unsupported(typeflag, pendingPath ?? headerPath);
    }
  }
  if (offset < tar.length) throw new BundleError("bundle_tar_error", "the archive ends inside a header block (truncated?)");
  return entries;
}
