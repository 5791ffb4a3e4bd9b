/**
 * A minimal ustar writer, enough for OPA bundles: regular files only, written the way Go's `archive/tar` writes
 * OPA's bundles (mode 0600, uid/gid 0, empty user and group names), with a fixed modification time so that the same
 * entries always give the same bytes. Names longer than ustar's 100 bytes use the 155-byte prefix field, or a PAX
 * `path` record when they cannot be split.
 */
const BLOCK = 512;
const encoder = new TextEncoder();

export interface TarFile {
  /** The entry name as stored, e.g. `/policy.wasm`. */
  path: string;
  data: Uint8Array;
}

export interface WriteTarOptions {
  /** Modification time of every entry, in seconds since the epoch (default 0). */
  mtime?: number;
  /** Permission bits of every entry (default 0o600, as OPA writes). */
  mode?: number;
}

function writeString(block: Uint8Array, offset: number, length: number, value: string): void {
  const bytes = encoder.encode(value);
  if (bytes.length > length) throw new Error(`tar field too long: ${value}`);
  block.set(bytes, offset);
}

/** Octal digits padded to `length - 1`, then NUL (Go's formatOctal). */
function writeOctal(block: Uint8Array, offset: number, length: number, value: number): void {
  const digits = value.toString(8).padStart(length - 1, "0");
  if (digits.length > length - 1) throw new Error(`tar numeric field overflow: ${value}`);
  writeString(block, offset, length, digits + "\0");
}

/** Splits a long name into ustar's prefix (≤155 bytes) and name (≤100 bytes) at a slash, if possible. */
function splitName(path: string): { prefix: string; name: string } | undefined {
  const bytes = encoder.encode(path);
  if (bytes.length <= 100) return { prefix: "", name: path };
  for (let i = path.length - 1; i > 0; i--) {
    if (path[i] !== "/") continue;
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (encoder.encode(prefix).length <= 155 && encoder.encode(name).length <= 100 && name !== "") return { prefix, name };
  }
  return undefined;
}

function header(name: string, prefix: string, size: number, typeflag: string, opts: Required<WriteTarOptions>): Uint8Array {
  const block = new Uint8Array(BLOCK);
  writeString(block, 0, 100, name);
  writeOctal(block, 100, 8, opts.mode);
  writeOctal(block, 108, 8, 0);
  writeOctal(block, 116, 8, 0);
  writeOctal(block, 124, 12, size);
  writeOctal(block, 136, 12, opts.mtime);
  block.fill(0x20, 148, 156);
  writeString(block, 156, 1, typeflag);
  writeString(block, 257, 6, "ustar\0");
  writeString(block, 263, 2, "00");
  writeOctal(block, 329, 8, 0);
  writeOctal(block, 337, 8, 0);
  writeString(block, 345, 155, prefix);
  let sum = 0;
  for (const b of block) sum += b;
  writeString(block, 148, 8, sum.toString(8).padStart(6, "0") + "\0 ");
  return block;
}

/** One PAX record `"<len> path=<value>\n"`, where len counts the whole record including its own digits. */
function paxRecord(key: string, value: string): Uint8Array {
  const body = ` ${key}=${value}\n`;
  const bodyLength = encoder.encode(body).length;
  let length = bodyLength + 1;
  while (String(length).length + bodyLength !== length) length = String(length).length + bodyLength;
  return encoder.encode(`${length}${body}`);
}

function padding(size: number): Uint8Array {
  const rest = size % BLOCK;
  return new Uint8Array(rest === 0 ? 0 : BLOCK - rest);
}

/** The tar archive (not compressed) holding `files` in the given order, closed by two zero blocks. */
export function writeTarArchive(files: readonly TarFile[], options: WriteTarOptions = {}): Uint8Array {
  const opts: Required<WriteTarOptions> = { mtime: options.mtime ?? 0, mode: options.mode ?? 0o600 };
  const parts: Uint8Array[] = [];
  for (const f of files) {
    const split = splitName(f.path);
    if (split === undefined) {
      const record = paxRecord("path", f.path);
      parts.push(header("PaxHeader", "", record.length, "x", opts), record, padding(record.length));
      // Readers without PAX support see a truncated ASCII name; PAX readers use the record.
      const base = f.path.slice(f.path.lastIndexOf("/") + 1).replace(/[^\x20-\x7e]/g, "_").slice(0, 100);
      parts.push(header(base === "" ? "file" : base, "", f.data.length, "0", opts));
    } else {
      parts.push(header(split.name, split.prefix, f.data.length, "0", opts));
    }
    parts.push(f.data, padding(f.data.length));
  }
  parts.push(new Uint8Array(BLOCK * 2));
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
