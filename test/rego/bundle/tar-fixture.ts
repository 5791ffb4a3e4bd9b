/**
 * A tar writer for tests, independent of src/rego/bundle/write-tar-archive.ts, so the reader is tested against
 * archives laid out as other tools write them: GNU tar (`ustar  ` magic, `L` long-name entries, directory
 * entries, `./` names), PAX `x` headers (Go's archive/tar for long names), links, and deliberately broken headers.
 */
import { gzipSync } from "node:zlib";

export interface FixtureEntry {
  name: string;
  data?: Uint8Array | string;
  /** Tar typeflag: "0" file (default), "5" directory, "2" symlink, "x" PAX header, "L" GNU long name. */
  type?: string;
  /** Write the name through a GNU `L` entry first (the header keeps a truncated name). */
  gnuLongName?: boolean;
  /** Write the name through a PAX `path` record first. */
  paxPath?: boolean;
  /** Corrupt the header checksum. */
  badChecksum?: boolean;
}

const enc = new TextEncoder();

function bytes(d: Uint8Array | string | undefined): Uint8Array {
  return d === undefined ? new Uint8Array(0) : typeof d === "string" ? enc.encode(d) : d;
}

function headerBlock(name: string, size: number, type: string, gnu: boolean, badChecksum: boolean): Uint8Array {
  const h = new Uint8Array(512);
  const put = (off: number, s: string) => h.set(enc.encode(s), off);
  put(0, name.slice(0, 100));
  put(100, "0000644\0");
  put(108, "0001750\0");
  put(116, "0001750\0");
  put(124, size.toString(8).padStart(11, "0") + "\0");
  put(136, "14712345670\0");
  put(156, type);
  if (gnu) put(257, "ustar  \0");
  else put(257, "ustar\u000000");
  put(265, "builder");
  put(297, "builder");
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  put(148, (badChecksum ? sum + 1 : sum).toString(8).padStart(6, "0") + "\0 ");
  return h;
}

function padded(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.ceil(data.length / 512) * 512);
  out.set(data);
  return out;
}

function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let n = body.length + 2;
  while (String(n).length + body.length !== n) n = String(n).length + body.length;
  return `${n}${body}`;
}

/** The tar bytes (optionally without the closing zero blocks). */
export function fixtureTar(entries: readonly FixtureEntry[], options: { gnu?: boolean; noTrailer?: boolean } = {}): Uint8Array {
  const parts: Uint8Array[] = [];
  const gnu = options.gnu ?? false;
  for (const e of entries) {
    const data = bytes(e.data);
    if (e.gnuLongName === true) {
      const n = enc.encode(e.name + "\0");
      parts.push(headerBlock("././@LongLink", n.length, "L", true, false), padded(n));
    }
    if (e.paxPath === true) {
      const rec = enc.encode(paxRecord("path", e.name));
      parts.push(headerBlock("PaxHeaders/x", rec.length, "x", false, false), padded(rec));
    }
    parts.push(headerBlock(e.name, data.length, e.type ?? "0", gnu, e.badChecksum ?? false), padded(data));
  }
  if (options.noTrailer !== true) parts.push(new Uint8Array(1024));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

export function fixtureTarGz(entries: readonly FixtureEntry[], options: { gnu?: boolean; noTrailer?: boolean } = {}): Uint8Array {
  return new Uint8Array(gzipSync(fixtureTar(entries, options)));
}
