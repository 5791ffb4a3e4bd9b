import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { call, failure } from "./call-host-builtin.js";
import { buildCertificate, pem } from "./x509-fixtures.js";

const jwk = (k: KeyObject): Record<string, unknown> => k.export({ format: "jwk" }) as Record<string, unknown>;
const b64url = (s: string): string => Buffer.from(s).toString("base64url");
const secretJwk = (secret: string): Record<string, unknown> => ({ kty: "oct", k: b64url(secret) });

const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
const ec256 = generateKeyPairSync("ec", { namedCurve: "P-256" });
const ec384 = generateKeyPairSync("ec", { namedCurve: "P-384" });
const ed = generateKeyPairSync("ed25519");
const otherRsa = generateKeyPairSync("rsa", { modulusLength: 2048 });

const spki = (k: KeyObject): string => k.export({ format: "pem", type: "spki" }) as string;
const sign = (alg: string, claims: Record<string, unknown>, key: Record<string, unknown>, extra: Record<string, unknown> = {}): string =>
  call("io.jwt.encode_sign", { alg, typ: "JWT", ...extra }, claims, key) as string;

describe("io.jwt host builtins", () => {
  test("encode_sign and verify_*: every algorithm round-trips with its key, fails with another", () => {
    const cases: [string, Record<string, unknown>, string, string][] = [
      ["RS256", jwk(rsa.privateKey), spki(rsa.publicKey), spki(otherRsa.publicKey)],
      ["RS512", jwk(rsa.privateKey), JSON.stringify(jwk(rsa.publicKey)), spki(otherRsa.publicKey)],
      ["PS384", jwk(rsa.privateKey), spki(rsa.publicKey), spki(otherRsa.publicKey)],
      ["ES256", jwk(ec256.privateKey), spki(ec256.publicKey), spki(ec384.publicKey)],
      ["ES384", jwk(ec384.privateKey), JSON.stringify({ keys: [jwk(ec384.publicKey)] }), spki(ec256.publicKey)],
      ["EdDSA", jwk(ed.privateKey), spki(ed.publicKey), spki(rsa.publicKey)],
    ];
    for (const [alg, privateJwk, good, bad] of cases) {
      const token = sign(alg, { iss: "fleetward" }, privateJwk);
      const fn = alg === "EdDSA" ? "io.jwt.verify_eddsa" : `io.jwt.verify_${alg.toLowerCase()}`;
      expect([alg, call(fn, token, good)]).toEqual([alg, true]);
      expect([alg, call(fn, token, bad)]).toEqual([alg, false]);
    }
  });

  test("verify_*: a token of another algorithm does not verify", () => {
    const token = sign("RS256", { a: 1 }, jwk(rsa.privateKey));
    expect(call("io.jwt.verify_ps256", token, spki(rsa.publicKey))).toBe(false);
    expect(call("io.jwt.verify_es256", token, spki(rsa.publicKey))).toBe(false);
  });

  test("verify_hs*: the secret is the UTF-8 text", () => {
    const token = sign("HS384", { sub: "x" }, secretJwk("s3cret"));
    expect(call("io.jwt.verify_hs384", token, "s3cret")).toBe(true);
    expect(call("io.jwt.verify_hs384", token, "other")).toBe(false);
    expect(call("io.jwt.verify_hs256", token, "s3cret")).toBe(false);
  });

  test("verify with a certificate's key", () => {
    const der = buildCertificate({
      cn: "signer", serial: 5, notBefore: new Date(), notAfter: new Date(Date.now() + 86_400_000), ca: false,
      publicKey: ec256.publicKey, signingKey: ec256.privateKey,
    });
    expect(call("io.jwt.verify_es256", sign("ES256", {}, jwk(ec256.privateKey)), pem(der))).toBe(true);
  });

  test("decode: header, claims and the signature in hex; malformed tokens are OPA's errors", () => {
    const token = sign("HS256", { iss: "opa", n: 2 }, secretJwk("k"));
    const [header, claims, signature] = call("io.jwt.decode", token) as [unknown, unknown, string];
    expect(header).toEqual({ alg: "HS256", typ: "JWT" });
    expect(claims).toEqual({ iss: "opa", n: 2 });
    expect(signature).toBe(Buffer.from(token.split(".")[2] as string, "base64url").toString("hex"));
    expect(failure("io.jwt.decode", "abc")).toBe("eval_builtin_error: io.jwt.decode: encoded JWT had no period separators");
    expect(failure("io.jwt.decode", "a.b")).toMatch(/encoded JWT must have 3 sections, found 2/);
    expect(failure("io.jwt.decode", `${b64url('{"alg":"HS256","enc":"x"}')}.e30.`)).toMatch(/JWT is a JWE object, which is not supported/);
    expect(failure("io.jwt.decode", `ey^J.e30.`)).toMatch(/JWT header had invalid encoding: illegal base64 data at input byte 2/);
    expect(failure("io.jwt.decode", `${b64url('{"alg":"HS256"}')}.${b64url("[1]")}.`)).toMatch(/decoded JSON type was not an Object/);
    expect(failure("io.jwt.decode", 7)).toMatch(/^eval_type_error: io.jwt.decode: operand 1 must be string but got number/);
  });

  test("decode: integers beyond 2^53 stay exact", () => {
    const token = `${b64url('{"alg":"HS256"}')}.${b64url('{"id":12345678901234567890,"n":1.5}')}.`;
    const text = new TextDecoder().decode(call("io.jwt.decode", token) as ArrayBuffer);
    expect(text).toBe('[{"alg":"HS256"},{"id":12345678901234567890,"n":1.5},""]');
  });

  test("verification keys: bad PEM blocks and JWKs are errors", () => {
    const token = sign("RS256", {}, jwk(rsa.privateKey));
    expect(failure("io.jwt.verify_rs256", token, spki(rsa.publicKey).replace(/PUBLIC KEY/g, "THING"))).toMatch(/failed to extract a Key from the PEM certificate/);
    expect(failure("io.jwt.verify_rs256", token, `${spki(rsa.publicKey)}EXTRA`)).toMatch(/extra data after a PEM certificate block/);
    expect(failure("io.jwt.verify_rs256", token, '{"kty":"bogus"}')).toMatch(/failed to parse a JWK key \(set\)/);
    expect(failure("io.jwt.verify_rs256", token, pem(Buffer.from("not a certificate")))).toMatch(/failed to parse a PEM certificate/);
  });

  test("decode_verify: signature, alg, iss, aud, exp and nbf constraints", () => {
    const key = secretJwk("secret");
    const t = 1_700_000_000;
    const token = sign("HS256", { iss: "fleetward", aud: ["a", "b"], exp: t + 60, nbf: t - 60 }, key);
    const at = (seconds: number): number => seconds * 1e9;
    const ok = call("io.jwt.decode_verify", token, { secret: "secret", aud: "b", time: at(t) }) as unknown[];
    expect(ok[0]).toBe(true);
    expect(ok[2]).toEqual({ iss: "fleetward", aud: ["a", "b"], exp: t + 60, nbf: t - 60 });
    const unverified = [false, {}, {}];
    expect(call("io.jwt.decode_verify", token, { secret: "wrong", aud: "b", time: at(t) })).toEqual(unverified);
    expect(call("io.jwt.decode_verify", token, { secret: "secret", aud: "c", time: at(t) })).toEqual(unverified);
    expect(call("io.jwt.decode_verify", token, { secret: "secret", time: at(t) })).toEqual(unverified); // has aud, none asked
    expect(call("io.jwt.decode_verify", token, { secret: "secret", aud: "a", iss: "other", time: at(t) })).toEqual(unverified);
    expect(call("io.jwt.decode_verify", token, { secret: "secret", aud: "a", alg: "HS512", time: at(t) })).toEqual(unverified);
    expect(call("io.jwt.decode_verify", token, { secret: "secret", aud: "a", time: at(t + 60) })).toEqual(unverified); // expired
    expect(call("io.jwt.decode_verify", token, { secret: "secret", aud: "a", time: at(t - 61) })).toEqual(unverified); // too soon
    const rsaToken = sign("RS256", { iss: "x" }, jwk(rsa.privateKey));
    expect((call("io.jwt.decode_verify", rsaToken, { cert: spki(rsa.publicKey) }) as unknown[])[0]).toBe(true);
  });

  test("decode_verify: bad constraints and claim types are errors", () => {
    const token = sign("HS256", { exp: "soon" }, secretJwk("s"));
    expect(failure("io.jwt.decode_verify", token, { secret: "s" })).toMatch(/exp value must be a number/);
    expect(failure("io.jwt.decode_verify", token, {})).toMatch(/no key constraint/);
    expect(failure("io.jwt.decode_verify", token, { secret: "s", cert: spki(rsa.publicKey) })).toMatch(/duplicate key constraints/);
    expect(failure("io.jwt.decode_verify", token, { secret: "s", color: "red" })).toMatch(/unknown token validation constraint: color/);
    expect(failure("io.jwt.decode_verify", token, { secret: "s", time: -1 })).toMatch(/must not be negative/);
  });

  test("encode_sign_raw: header errors, JWT payload must be JSON, plain payloads may be anything", () => {
    const key = JSON.stringify(secretJwk("k"));
    expect(failure("io.jwt.encode_sign_raw", "", "{}", key)).toMatch(/missing or invalid 'alg' header: cannot parse JSON: cannot parse empty string/);
    expect(failure("io.jwt.encode_sign_raw", '{"alg":"none"}', "{}", key)).toMatch(/unknown JWS algorithm: none/);
    expect(failure("io.jwt.encode_sign_raw", '{"alg":"HS256"}', "not json", key)).toMatch(/type is JWT but payload is not JSON/);
    expect(failure("io.jwt.encode_sign_raw", '{"alg":"RS256"}', "{}", key)).toMatch(/invalid key for RS256/);
    const plain = call("io.jwt.encode_sign_raw", '{"alg":"HS256","typ":"text/plain"}', "hello", key) as string;
    expect(Buffer.from(plain.split(".")[1] as string, "base64url").toString()).toBe("hello");
    expect(call("io.jwt.verify_hs256", plain, "k")).toBe(true);
  });

  test("encode_sign marshals as Go does: sorted keys, HTML characters escaped", () => {
    const token = sign("HS256", { z: 1, a: "<b>&" }, secretJwk("k"));
    expect(Buffer.from(token.split(".")[1] as string, "base64url").toString()).toBe('{"a":"\\u003cb\\u003e\\u0026","z":1}');
  });
});
