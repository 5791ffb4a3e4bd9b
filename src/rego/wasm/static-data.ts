/**
 * Static data the policy linker appends after the runtime's own data: strings referenced by generated
 * code (UTF-8, no NUL), string values over them, NUL-terminated messages and JSON documents. The start address is fixed when
 * the builder is created (the runtime's heap base), so addresses are final as soon as bytes are added;
 * the heap start moves past the data when the module is linked. Identical strings are stored once.
 */
export interface StaticBytes {
  /** Absolute address in linear memory. */
  readonly offset: number;
  /** Length in bytes (without the NUL of a C string). */
  readonly length: number;
}

/** The string type tag of runtime values (OPA's type order: null 1 … string 4 …). */
const STRING_TAG = 4;

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

  /**
   * Adds a complete string value (the runtime's layout, src/rego/runtime/assembly/layout.ts: tag 4 at byte 0,
   * u32 byte length at 4, pointer to the UTF-8 bytes at 8, hash cache at 12 = 0 "not computed yet"), 8-byte aligned,
   * once per text: generated code uses its address as a constant instead of allocating a string value at run time.
   * The runtime only ever writes the value's own hash into the cache, so a static one is safe to share.
   */
  addStringValue(text: string): StaticBytes {
    const key = `v:${text}`;
    const known = this.interned.get(key);
    if (known) return known;
    const bytes = this.addString(text);
    this.padTo8();
    const header = new Uint8Array(16);
    const view = new DataView(header.buffer);
    view.setUint32(0, STRING_TAG, true);
    view.setUint32(4, bytes.length, true);
    view.setUint32(8, bytes.offset, true);
    const stored = this.append(header);
    this.interned.set(key, stored);
    return stored;
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

  private padTo8(): void {
    const pad = (8 - (this.size % 8)) % 8;
    if (pad > 0) this.append(new Uint8Array(pad));
  }

  private append(bytes: Uint8Array): StaticBytes {
    const offset = this.base + this.size;
    this.parts.push(bytes);
    this.size += bytes.length;
    return { offset, length: bytes.length };
  }
}
