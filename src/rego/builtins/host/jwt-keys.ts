/**
 * Keys of the JWT builtins: verification keys from a PEM certificate, a PEM public key, a JWK or a JWK set (as
 * OPA's `getKeysFromCertOrJWK`), signing keys from a JWK (set), and signing/verification by JWS algorithm
 * (RFC 7518) on `node:crypto`.
 */
import { constants, createHmac, createPrivateKey, createPublicKey, sign, timingSafeEqual, verify, X509Certificate, type JsonWebKey, type KeyObject } from "node:crypto";
import { CryptoError, decodeBase64Url, decodePem } from "./crypto-encoding.js";

/** The JWS algorithms OPA knows. */
export const JWS_ALGORITHMS: ReadonlySet<string> = new Set([
  "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "HS256", "HS384", "HS512", "EdDSA",
]);

/** A key: an asymmetric key object, or the bytes of a symmetric (`oct`) key. */
export type JwsKey = KeyObject | Buffer;

export interface VerificationKey {
  key: JwsKey;
  /** The JWK's `alg`, "" when it has none (certificates and keys from PEM never do). */
  alg: string;
  kid: string;
}

/** The keys of a PEM certificate or public key, or of a JWK or JWK set. */
export function verificationKeys(text: string): VerificationKey[] {
  const pem = decodePem(text);
  if (pem) {
    if (pem.rest.length > 0) throw new CryptoError("extra data after a PEM certificate block");
    if (pem.block.type === "CERTIFICATE") {
      try {
        return [{ key: new X509Certificate(pem.block.bytes).publicKey, alg: "", kid: "" }];
      } catch (e) {
        throw new CryptoError(`failed to parse a PEM certificate: x509: ${messageOf(e)}`);
      }
    }
    if (pem.block.type === "PUBLIC KEY") {
      try {
        return [{ key: createPublicKey({ key: pem.block.bytes, format: "der", type: "spki" }), alg: "", kid: "" }];
      } catch (e) {
        throw new CryptoError(`failed to parse a PEM public key: x509: ${messageOf(e)}`);
      }
    }
    throw new CryptoError("failed to extract a Key from the PEM certificate");
  }
  let jwks: JsonWebKey[];
  try {
    jwks = parseJwkSet(text);
  } catch (e) {
    throw new CryptoError(`failed to parse a JWK key (set): ${messageOf(e)}`);
  }
  const keys: VerificationKey[] = [];
  for (const jwk of jwks) {
    const alg = typeof jwk.alg === "string" ? jwk.alg : "";
    const key = jwkKey(jwk, "public");
    // Keys of algorithms OPA does not know are skipped.
    if (alg !== "" && !JWS_ALGORITHMS.has(alg)) continue;
    keys.push({ key, alg, kid: typeof jwk.kid === "string" ? jwk.kid : "" });
  }
  return keys;
}

/** The keys of a JWK (`{"kty": …}`) or JWK set (`{"keys": […]}`) text. */
export function parseJwkSet(text: string): JsonWebKey[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new CryptoError(`failed to unmarshal JSON into key (set): ${messageOf(e)}`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new CryptoError("a JWK must be a JSON object");
  const keys = (parsed as { keys?: unknown }).keys;
  const list = Array.isArray(keys) ? keys : [parsed];
  for (const k of list) {
    if (k === null || typeof k !== "object" || Array.isArray(k)) throw new CryptoError("a JWK must be a JSON object");
    const kty = (k as JsonWebKey).kty;
    if (kty !== "RSA" && kty !== "EC" && kty !== "OKP" && kty !== "oct") throw new CryptoError(`invalid key type from JSON (${String(kty)})`);
  }
  return list as JsonWebKey[];
}

/** The key a JWK describes: its public half, or the private key (for signing). */
export function jwkKey(jwk: JsonWebKey, use: "public" | "private"): JwsKey {
  if (jwk.kty === "oct") {
    if (typeof jwk.k !== "string") throw new CryptoError("failed to parse oct key: missing \"k\"");
    return decodeBase64Url(jwk.k);
  }
  try {
    return use === "public" ? createPublicKey({ key: jwk, format: "jwk" }) : createPrivateKey({ key: jwk, format: "jwk" });
  } catch (e) {
    throw new CryptoError(`failed to create ${jwk.kty ?? ""} key: ${messageOf(e)}`);
  }
}

const HASHES: Record<string, string> = { "256": "sha256", "384": "sha384", "512": "sha512" };

function hashOf(alg: string): string {
  return HASHES[alg.slice(2)] ?? "sha256";
}

function asymmetric(key: JwsKey, type: string, alg: string): KeyObject {
  if (Buffer.isBuffer(key) || key.asymmetricKeyType !== type) throw new CryptoError(`invalid key for ${alg}`);
  return key;
}

/** Whether `signature` is `alg`'s signature of `data` by `key`; wrong keys and malformed signatures are `false`. */
export function verifySignature(key: JwsKey, alg: string, data: Buffer, signature: Buffer): boolean {
  try {
    const family = alg.slice(0, 2);
    if (family === "HS") {
      if (!Buffer.isBuffer(key)) return false;
      const mac = createHmac(hashOf(alg), key).update(data).digest();
      return mac.length === signature.length && timingSafeEqual(mac, signature);
    }
    if (alg === "EdDSA") return verify(null, data, asymmetric(key, "ed25519", alg), signature);
    if (family === "RS") return verify(hashOf(alg), data, { key: asymmetric(key, "rsa", alg), padding: constants.RSA_PKCS1_PADDING }, signature);
    if (family === "PS") {
      return verify(hashOf(alg), data, { key: asymmetric(key, "rsa", alg), padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO }, signature);
    }
    if (family === "ES") return verify(hashOf(alg), data, { key: asymmetric(key, "ec", alg), dsaEncoding: "ieee-p1363" }, signature);
    return false;
  } catch {
    return false;
  }
}

/** `alg`'s signature of `data` by the private `key`. */
export function signData(key: JwsKey, alg: string, data: Buffer): Buffer {
  const family = alg.slice(0, 2);
  if (family === "HS") {
    if (!Buffer.isBuffer(key)) throw new CryptoError(`invalid key for ${alg}: expected a symmetric (oct) key`);
    return createHmac(hashOf(alg), key).update(data).digest();
  }
  try {
    if (alg === "EdDSA") return sign(null, data, asymmetric(key, "ed25519", alg));
    if (family === "RS") return sign(hashOf(alg), data, { key: asymmetric(key, "rsa", alg), padding: constants.RSA_PKCS1_PADDING });
    if (family === "PS") return sign(hashOf(alg), data, { key: asymmetric(key, "rsa", alg), padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST });
    return sign(hashOf(alg), data, { key: asymmetric(key, "ec", alg), dsaEncoding: "ieee-p1363" });
  } catch (e) {
    if (e instanceof CryptoError) throw e;
    throw new CryptoError(`failed to sign with ${alg}: ${messageOf(e)}`);
  }
}

export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
