import { generateKeyPairSync } from "node:crypto";
import { call, failure } from "./call-host-builtin.js";

describe("crypto host builtins", () => {
  test("digests of UTF-8 text (RFC 1321 / FIPS 180 vectors)", () => {
    expect(call("crypto.md5", "")).toBe("d41d8cd98f00b204e9800998ecf8427e");
    expect(call("crypto.sha1", "abc")).toBe("a9993e364706816aba3e25717850c26c9cd0d89d");
    expect(call("crypto.sha256", "abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(failure("crypto.sha256", 1)).toBe("eval_type_error: crypto.sha256: operand 1 must be string but got number");
  });

  test("HMACs (RFC 2202 / RFC 4231 test case 2) and their comparison", () => {
    const data = "what do ya want for nothing?";
    expect(call("crypto.hmac.md5", data, "Jefe")).toBe("750c783e6ab0b503eaa86e310a5db738");
    expect(call("crypto.hmac.sha1", data, "Jefe")).toBe("effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
    expect(call("crypto.hmac.sha256", data, "Jefe")).toBe("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    expect(call("crypto.hmac.sha512", data, "Jefe")).toBe(
      "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737",
    );
    expect(call("crypto.hmac.equal", "abc", "abc")).toBe(true);
    expect(call("crypto.hmac.equal", "abc", "abd")).toBe(false);
    expect(call("crypto.hmac.equal", "abc", "ab")).toBe(false);
    expect(failure("crypto.hmac.sha256", "m", 3)).toMatch(/^eval_type_error: crypto.hmac.sha256: operand 2 must be string/);
  });

  const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 });
  const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const pkcs1 = rsa.privateKey.export({ format: "pem", type: "pkcs1" }) as string;
  const sec1 = ec.privateKey.export({ format: "pem", type: "sec1" }) as string;

  test("parse_rsa_private_key: the key as a JWK, from PEM or base64 of PEM", () => {
    const want = rsa.privateKey.export({ format: "jwk" });
    expect(call("crypto.x509.parse_rsa_private_key", pkcs1)).toEqual(want);
    expect(call("crypto.x509.parse_rsa_private_key", Buffer.from(pkcs1).toString("base64"))).toEqual(want);
    expect(failure("crypto.x509.parse_rsa_private_key", "invalid")).toMatch(/illegal base64 data/);
    expect(call("crypto.x509.parse_rsa_private_key", "-----BEGIN NOTHING-----\n-----END NOTHING-----\n")).toBeNull();
  });

  test("parse_private_keys: every key block, as Go's JSON; empty input is null, no keys an empty array", () => {
    const text = new TextDecoder().decode(call("crypto.parse_private_keys", `${pkcs1}\n${sec1}`) as ArrayBuffer);
    const keys = JSON.parse(text) as Record<string, unknown>[];
    expect(keys.map((k) => Object.keys(k).sort())).toEqual([["D", "E", "N", "Precomputed", "Primes"], ["Curve", "D", "X", "Y"]]);
    const n = BigInt(`0x${Buffer.from(rsa.privateKey.export({ format: "jwk" }).n ?? "", "base64url").toString("hex")}`);
    expect(text).toContain(`"N":${n.toString()}`);
    expect(call("crypto.parse_private_keys", "")).toBeNull();
    expect(call("crypto.parse_private_keys", "nope")).toEqual([]);
    expect(failure("crypto.parse_private_keys", "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n")).toMatch(/failed to parse private key/);
  });
});
