/**
 * Host builtins of the JWT family with OPA's semantics (`topdown/tokens.go`): `io.jwt.decode`,
 * `io.jwt.verify_{rs,ps,es,hs}{256,384,512}`, `io.jwt.verify_eddsa` and `io.jwt.decode_verify` (constraints
 * `cert`, `secret`, `alg`, `iss`, `aud`, `time`; claims `exp`, `nbf`). Signing is in `jwt-sign.ts`.
 */
import { CryptoError, decodeBase64Url, namedErrors } from "./crypto-encoding.js";
import { verificationKeys, verifySignature, type JwsKey, type VerificationKey } from "./jwt-keys.js";
import { jwtSignBuiltins } from "./jwt-sign.js";
import { isObject, obj, str, type HostFn, type Json } from "./operands.js";
import { parseValueText } from "./value-text.js";

interface Token {
  header: string;
  payload: string;
  signature: string;
}

function splitToken(name: string, jwt: Json): Token {
  const text = str(name, 0, jwt);
  if (!text.includes(".")) throw new CryptoError("encoded JWT had no period separators");
  const parts = text.split(".");
  if (parts.length !== 3) throw new CryptoError(`encoded JWT must have 3 sections, found ${parts.length}`);
  const [header = "", payload = "", signature = ""] = parts;
  return { header, payload, signature };
}

/** A JSON object text, integers beyond 2^53 exact (as OPA's numbers are); the last of duplicate keys wins. */
function jsonObject(text: string): Record<string, Json> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new CryptoError(`invalid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!isObject(v)) throw new CryptoError("decoded JSON type was not an Object");
  return parseValueText(text) as Record<string, Json>;
}

const isNumber = (v: Json): v is number | bigint => typeof v === "number" || typeof v === "bigint";

function decodePart(part: string, what: string): string {
  try {
    return decodeBase64Url(part).toString("utf8");
  } catch (e) {
    throw new CryptoError(`JWT ${what} had invalid encoding: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function decodeHeader(token: Token): Record<string, Json> {
  let header: Record<string, Json>;
  try {
    header = jsonObject(decodePart(token.header, "header"));
  } catch (e) {
    if (e instanceof CryptoError && e.message.startsWith("JWT header")) throw e;
    throw new CryptoError(`bad JWT header: ${e instanceof Error ? e.message : String(e)}`);
  }
  if ("enc" in header) throw new CryptoError("JWT is a JWE object, which is not supported");
  return header;
}

function decodeSignature(token: Token): Buffer {
  return decodeBase64Url(token.signature);
}

interface HeaderFields {
  alg: string;
  kid: string;
  cty: string;
  /** Whether RFC 7515 accepts it: `alg` present, no unknown parameter listed in `crit`. */
  valid: boolean;
}

const KNOWN_HEADERS = new Set(["alg", "kid", "typ", "cty", "crit"]);

/** The header parameters OPA reads, with its type checks. */
function headerFields(header: Record<string, Json>): HeaderFields {
  const fields = { alg: "", kid: "", cty: "", typ: "" };
  let crit = new Set<string>();
  for (const [k, v] of Object.entries(header)) {
    if (k === "crit") {
      if (!Array.isArray(v)) throw new CryptoError("crit: must be a list");
      crit = new Set(v.filter((x): x is string => typeof x === "string"));
      if (crit.size === 0) throw new CryptoError("crit: must be a nonempty list");
    } else if (KNOWN_HEADERS.has(k)) {
      if (typeof v !== "string") throw new CryptoError(`${k}: must be a string`);
      fields[k as "alg" | "kid" | "cty" | "typ"] = v;
    }
  }
  const unknownCritical = Object.keys(header).some((k) => !KNOWN_HEADERS.has(k) && crit.has(k));
  return { alg: fields.alg, kid: fields.kid, cty: fields.cty, valid: fields.alg !== "" && !unknownCritical };
}

function decode(name: string, jwt: Json): Json[] {
  const token = splitToken(name, jwt);
  const header = decodeHeader(token);
  let payload = decodePart(token.payload, "payload");
  if (header.cty === "JWT") {
    // A nested token, quoted by some encoders.
    payload = payload.replace(/^["']+|["']+$/g, "");
    return decode(name, payload);
  }
  const claims = jsonObject(payload);
  let signature: Buffer;
  try {
    signature = decodeSignature(token);
  } catch (e) {
    throw new CryptoError(`JWT signature had invalid encoding: ${e instanceof Error ? e.message : String(e)}`);
  }
  return [header, claims, signature.toString("hex")];
}

/** Whether one of `keys` verifies the token: the key whose `kid` the header names, else any key of a matching alg. */
function verifiedByKeys(keys: VerificationKey[], kid: string, headerAlg: string, verifyAlg: string, signed: Buffer, signature: Buffer): boolean {
  const byKid = kid === "" ? undefined : keys.find((k) => k.kid === kid);
  if (byKid) return verifySignature(byKid.key, verifyAlg, signed, signature);
  return keys.some((k) => (k.alg === "" || k.alg === headerAlg) && verifySignature(k.key, verifyAlg, signed, signature));
}

/** `io.jwt.verify_<alg>` with a certificate, public key or JWK (set). */
function verifyWithKey(alg: string): HostFn {
  const name = `io.jwt.verify_${alg.toLowerCase()}`;
  return (jwt, keyText) => {
    const token = splitToken(name, jwt);
    const keys = verificationKeys(str(name, 1, keyText));
    const signature = decodeSignature(token);
    const header = headerFields(decodeHeader(token));
    return verifiedByKeys(keys, header.kid, header.alg, alg, Buffer.from(`${token.header}.${token.payload}`), signature);
  };
}

function verifyWithSecret(alg: string): HostFn {
  const name = `io.jwt.verify_${alg.toLowerCase()}`;
  return (jwt, secret) => {
    const token = splitToken(name, jwt);
    const key: JwsKey = Buffer.from(str(name, 1, secret), "utf8");
    return verifySignature(key, alg, Buffer.from(`${token.header}.${token.payload}`), decodeSignature(token));
  };
}

interface Constraints {
  keys?: VerificationKey[];
  secret: string;
  alg: string;
  iss: string;
  aud: string;
  /** Nanoseconds since the epoch. */
  time: number;
}

function constraintsOf(o: Record<string, Json>): Constraints {
  const c: Constraints = { secret: "", alg: "", iss: "", aud: "", time: -1 };
  for (const [k, v] of Object.entries(o)) {
    if (k === "cert") {
      if (typeof v !== "string") throw new CryptoError("cert constraint: must be a string");
      c.keys = verificationKeys(v);
    } else if (k === "secret" || k === "alg" || k === "iss" || k === "aud") {
      if (typeof v !== "string") throw new CryptoError(`${k} constraint: must be a string`);
      c[k] = v;
    } else if (k === "time") {
      c.time = timeConstraint(v);
    } else throw new CryptoError(`unknown token validation constraint: ${k}`);
  }
  if (c.time === -1) c.time = Date.now() * 1e6;
  const keyConstraints = (c.keys ? 1 : 0) + (c.secret !== "" ? 1 : 0);
  if (keyConstraints > 1) throw new CryptoError("duplicate key constraints");
  if (keyConstraints < 1) throw new CryptoError("no key constraint");
  return c;
}

function timeConstraint(v: Json): number {
  if (typeof v !== "number") throw new CryptoError("token time constraint: must be a number");
  if (v < 0) throw new CryptoError("token time constraint: must not be negative");
  return v;
}

function validAudience(aud: Json, wanted: string): boolean {
  if (typeof aud === "string") return aud === wanted;
  return Array.isArray(aud) && aud.some((a) => a === wanted);
}

const UNVERIFIED: Json = [false, {}, {}];

function decodeVerify(jwt: Json, constraintObject: Json): Json {
  const name = "io.jwt.decode_verify";
  const c = constraintsOf(obj(name, 1, constraintObject));
  let current: Json = jwt;
  let header: Record<string, Json>;
  let payloadText: string;
  for (;;) {
    const token = splitToken(name, current);
    header = decodeHeader(token);
    const fields = headerFields(header);
    if (!fields.valid) return UNVERIFIED;
    if (c.alg !== "" && c.alg !== fields.alg) return UNVERIFIED;
    const signature = decodeSignature(token);
    const signed = Buffer.from(`${token.header}.${token.payload}`);
    const ok = c.keys
      ? verifiedByKeys(c.keys, fields.kid, fields.alg, fields.alg, signed, signature)
      : verifySignature(Buffer.from(c.secret, "utf8"), fields.alg, signed, signature);
    if (!ok) return UNVERIFIED;
    payloadText = decodePart(token.payload, "payload");
    if (fields.cty.toUpperCase() !== "JWT") break;
    current = payloadText;
  }
  const payload = jsonObject(payloadText);
  if (c.iss !== "" && payload.iss !== c.iss) return UNVERIFIED;
  if ("aud" in payload ? !validAudience(payload.aud, c.aud) : c.aud !== "") return UNVERIFIED;
  const now = c.time / 1e9;
  if ("exp" in payload) {
    if (!isNumber(payload.exp)) throw new CryptoError("exp value must be a number");
    if (now >= Number(payload.exp)) return UNVERIFIED;
  }
  if ("nbf" in payload) {
    if (!isNumber(payload.nbf)) throw new CryptoError("nbf value must be a number");
    if (now < Number(payload.nbf)) return UNVERIFIED;
  }
  return [true, header, payload];
}

const family: Record<string, HostFn> = {
  "io.jwt.decode": (jwt) => decode("io.jwt.decode", jwt),
  "io.jwt.decode_verify": decodeVerify,
  "io.jwt.verify_eddsa": verifyWithKey("EdDSA"),
  ...jwtSignBuiltins,
};
for (const bits of ["256", "384", "512"]) {
  for (const kind of ["RS", "PS", "ES"]) family[`io.jwt.verify_${kind.toLowerCase()}${bits}`] = verifyWithKey(`${kind}${bits}`);
  family[`io.jwt.verify_hs${bits}`] = verifyWithSecret(`HS${bits}`);
}

export const jwtBuiltins = namedErrors(family);
