/**
 * Static data the policy linker appends after the runtime's own data: strings referenced by generated
 * code (UTF-8, no NUL), NUL-terminated messages and JSON documents. The start address is fixed when
 * the builder is created (the runtime's heap base), so addresses are final as soon as bytes are added;
 * the heap start moves past the data when the module is linked. Identical strings are stored once.
 */
export interface StaticBytes {
  /** Absolute address in linear memory. */
  readonly offset: number;
  /** Length in bytes (without the NUL of a C string). */
  readonly length: number;
}

export class StaticData {
  private readonly parts: Uint8Array[] = [];
  private readonly interned = new Map<string, StaticBytes>();
  private size = 0;

  /** @param base absolute, 8-byte aligned start address */
  constructor(readonly base: number) {
    if (!Number.isInteger(base) || base < 0 || base % 8 !== 0) throw new Error(`static data base ${base} must be a non-negative multiple of 8`);
  }

  /** Adds the UTF-8 bytes of `text` once; `nulTerminated` stores a C string. */
  addString(text: string, nulTerminated = false): StaticBytes {
    const key = `${nulTerminated ? "c" : "s"}:${text}`;
    const known = this.interned.get(key);
    if (known) return known;
    const utf8 = new TextEncoder().encode(text);
    let bytes = utf8;
    if (nulTerminated) {
      bytes = new Uint8Array(utf8.length + 1);
      bytes.set(utf8);
    }
    const stored = this.append(bytes);
    const result = { offset: stored.offset, length: utf8.length };
    this.interned.set(key, result);
    return result;
  }

  /** Adds raw bytes (not deduplicated). */
  addBytes(bytes: Uint8Array): StaticBytes {
    return this.append(bytes.slice());
  }

  /** Address just past the last byte. */
  get end(): number {
    return this.base + this.size;
  }

  /** The data as one active segment. */
  segment(): { offset: number; data: Uint8Array } {
    const data = new Uint8Array(this.size);
    let at = 0;
    for (const p of this.parts) {
      data.set(p, at);
      at += p.length;
    }
    return { offset: this.base, data };
  }

  private append(bytes: Uint8Array): StaticBytes {
    const offset = this.base + this.size;
    this.parts.push(bytes);
    this.size += bytes.length;
    return { offset, length: bytes.length };
  }
}
