/**
 * Host builtins of the crypto family with OPA's semantics (`topdown/crypto.go`): digests, HMACs and their
 * constant-time comparison, and private keys from PEM (`crypto.parse_private_keys` as Go's `json.Marshal` of
 * the keys, `crypto.x509.parse_rsa_private_key` as a JWK). Certificates are in `x509.ts`.
 */
import { createHash, createHmac, createPrivateKey, timingSafeEqual, type KeyObject } from "node:crypto";
import { decodeBase64, decodeBase64Url, decodePemBlocks, namedErrors } from "./crypto-encoding.js";
import { messageOf } from "./jwt-keys.js";
import { str, type HostFn, type Json } from "./operands.js";

function digest(name: string, algorithm: string): HostFn {
  return (x) => createHash(algorithm).update(str(name, 0, x), "utf8").digest("hex");
}

function hmac(name: string, algorithm: string): HostFn {
  return (message, key) => {
    const m = str(name, 0, message);
    return createHmac(algorithm, Buffer.from(str(name, 1, key), "utf8")).update(m, "utf8").digest("hex");
  };
}

const KEY_FORMATS: Record<string, "pkcs1" | "pkcs8" | "sec1"> = { "RSA PRIVATE KEY": "pkcs1", "PRIVATE KEY": "pkcs8", "EC PRIVATE KEY": "sec1" };

/** The private keys of the PEM blocks in `text` (itself possibly base64 of PEM); other blocks are skipped. */
export function privateKeysFromPem(text: string): KeyObject[] {
  let pem = text;
  try {
    pem = decodeBase64(text).toString("utf8");
  } catch {
    // not base64: PEM as is
  }
  const keys: KeyObject[] = [];
  for (const block of decodePemBlocks(pem)) {
    const type = KEY_FORMATS[block.type];
    if (!type) continue;
    try {
      keys.push(createPrivateKey({ key: block.bytes, format: "der", type }));
    } catch (e) {
      throw new Error(`x509: failed to parse private key (${block.type}): ${messageOf(e)}`, { cause: e });
    }
  }
  return keys;
}

const big = (b64url: string | undefined): bigint => BigInt(`0x${decodeBase64Url(b64url ?? "").toString("hex") || "0"}`);

function exactInteger(n: bigint): Json {
  return n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
}

/** A private key as Go's `json.Marshal` writes `*rsa.PrivateKey`, `*ecdsa.PrivateKey` or `ed25519.PrivateKey`. */
export function goPrivateKeyJson(key: KeyObject): Json {
  const jwk = key.export({ format: "jwk" });
  if (jwk.kty === "RSA") {
    return {
      N: big(jwk.n), E: exactInteger(big(jwk.e)), D: big(jwk.d), Primes: [big(jwk.p), big(jwk.q)],
      Precomputed: { Dp: big(jwk.dp), Dq: big(jwk.dq), Qinv: big(jwk.qi), CRTValues: [] },
    };
  }
  if (jwk.kty === "EC") return { Curve: {}, X: big(jwk.x), Y: big(jwk.y), D: big(jwk.d) };
  return Buffer.concat([decodeBase64Url(jwk.d ?? ""), decodeBase64Url(jwk.x ?? "")]).toString("base64");
}

function parsePrivateKeys(x: Json): Json {
  const text = str("crypto.parse_private_keys", 0, x);
  if (text === "") return null;
  return privateKeysFromPem(text).map(goPrivateKeyJson);
}

function parseRsaPrivateKey(x: Json): Json {
  let text = str("crypto.x509.parse_rsa_private_key", 0, x);
  if (text === "") throw new Error("input PEM data was empty");
  if (!text.startsWith("-----BEGIN")) text = decodeBase64(text).toString("utf8");
  const [first] = privateKeysFromPem(text);
  return first ? (first.export({ format: "jwk" }) as Json) : null;
}

export const cryptoBuiltins = namedErrors({
  "crypto.md5": digest("crypto.md5", "md5"),
  "crypto.sha1": digest("crypto.sha1", "sha1"),
  "crypto.sha256": digest("crypto.sha256", "sha256"),
  "crypto.hmac.md5": hmac("crypto.hmac.md5", "md5"),
  "crypto.hmac.sha1": hmac("crypto.hmac.sha1", "sha1"),
  "crypto.hmac.sha256": hmac("crypto.hmac.sha256", "sha256"),
  "crypto.hmac.sha512": hmac("crypto.hmac.sha512", "sha512"),
  "crypto.hmac.equal": (a, b) => {
    const x = Buffer.from(str("crypto.hmac.equal", 0, a), "utf8");
    const y = Buffer.from(str("crypto.hmac.equal", 1, b), "utf8");
    return x.length === y.length && timingSafeEqual(x, y);
  },
  "crypto.parse_private_keys": parsePrivateKeys,
  "crypto.x509.parse_rsa_private_key": parseRsaPrivateKey,
});
