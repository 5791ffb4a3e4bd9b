import { call, failure } from "./call-host-builtin.js";

/** A version 1 UUID text for a Unix time in 100 ns units, a clock sequence and a node. */
function v1(unix100ns: bigint, clockSeq: number, node: string): string {
  const t = unix100ns + 122192928000000000n;
  const hex = (n: bigint, width: number): string => n.toString(16).padStart(width, "0");
  const low = hex(t & 0xffffffffn, 8);
  const mid = hex((t >> 32n) & 0xffffn, 4);
  const hi = hex(((t >> 48n) & 0x0fffn) | 0x1000n, 4);
  const seq = hex(BigInt((clockSeq & 0x3fff) | 0x8000), 4);
  return `${low}-${mid}-${hi}-${seq}-${node}`;
}

describe("uuid.parse", () => {
  test("version 4 in every accepted form", () => {
    const want = { version: 4, variant: "RFC4122" };
    for (const s of ["f47ac10b-58cc-4372-a567-0e02b2c3d479", "{f47ac10b-58cc-4372-a567-0e02b2c3d479}", "URN:UUID:f47ac10b-58cc-4372-a567-0e02b2c3d479", "f47ac10b58cc4372a5670e02b2c3d479"]) {
      expect(call("uuid.parse", s)).toEqual(want);
    }
  });

  test("version 1: time, clock sequence and node decoded", () => {
    const unix100ns = 17_000_000_000_000_000n + 1234n;
    // beyond 2^53 nanoseconds: the result is JSON text, the time exact
    const text = new TextDecoder().decode(call("uuid.parse", v1(unix100ns, 0x1abc, "0a1b2c3d4e5f")) as ArrayBuffer);
    expect(text).toContain(`"time":${(unix100ns * 100n).toString()}`);
    expect(JSON.parse(text)).toMatchObject({ version: 1, variant: "RFC4122", clocksequence: 0x1abc, nodeid: "0a-1b-2c-3d-4e-5f", macvariables: "local:unicast" });
    expect(call("uuid.parse", v1(1_000_000n, 1, "010000000000"))).toMatchObject({ time: 100_000_000, macvariables: "global:multicast" });
  });

  test("variants other than RFC 4122", () => {
    expect(call("uuid.parse", "00000000-0000-4000-c000-000000000000")).toEqual({ version: 4, variant: "Microsoft" });
    expect(call("uuid.parse", "00000000-0000-4000-0000-000000000000")).toEqual({ version: 4, variant: "Reserved" });
  });

  test("not a UUID is undefined; not a string is a type error", () => {
    for (const s of ["", "xyz", "f47ac10b-58cc-4372-a567-0e02b2c3d47", "f47ac10b_58cc_4372_a567_0e02b2c3d479", "{f47ac10b-58cc-4372-a567-0e02b2c3d479"]) {
      expect(call("uuid.parse", s)).toBeUndefined();
    }
    expect(failure("uuid.parse", 123)).toBe("eval_type_error: uuid.parse: operand 1 must be string but got number");
  });
});
