import { StaticData } from "../../../src/rego/wasm/static-data.js";

describe("StaticData", () => {
  test("string values: 8-byte aligned headers (tag 4, length, address of the bytes), stored once per text", () => {
    const d = new StaticData(1024);
    const c = d.addString("abc", true);
    const v = d.addStringValue("héllo");
    expect(v.offset % 8).toBe(0);
    expect(d.addStringValue("héllo")).toEqual(v);
    const seg = d.segment();
    const view = new DataView(seg.data.buffer, seg.data.byteOffset);
    const at = v.offset - seg.offset;
    expect(view.getUint32(at, true)).toBe(4);
    const length = view.getUint32(at + 4, true);
    const bytesAt = view.getUint32(at + 8, true);
    expect(length).toBe(6);
    // The hash cache word starts as "not computed yet".
    expect(view.getUint32(at + 12, true)).toBe(0);
    expect(new TextDecoder().decode(seg.data.subarray(bytesAt - seg.offset, bytesAt - seg.offset + length))).toBe("héllo");
    expect(d.addString("héllo").offset).toBe(bytesAt);
    expect(c.offset).toBe(1024);
    expect(d.addStringValue("").offset % 8).toBe(0);
  });
});
