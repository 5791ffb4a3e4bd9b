/**
 * `io.jwt.encode_sign` and `io.jwt.encode_sign_raw` with OPA's semantics: the first key of a JWK (set) signs
 * `base64url(header).base64url(payload)` with the header's `alg`; `encode_sign` marshals its objects as Go's
 * `json.Marshal` does (keys sorted, `<`, `>`, `&` escaped, sets as arrays).
 */
import { CryptoError, encodeBase64Url } from "./crypto-encoding.js";
import { JWS_ALGORITHMS, jwkKey, parseJwkSet, signData } from "./jwt-keys.js";
import { isObject, sortedUnique, str, type HostFn, type Json } from "./operands.js";
import { RegoSet } from "./rego-set.js";

/** Go's `json.Marshal` of a JSON value: object keys sorted, HTML characters escaped. */
export function goJson(v: Json): string {
  if (v instanceof RegoSet) return goJson(sortedUnique(v.items));
  if (Array.isArray(v)) return `[${v.map(goJson).join(",")}]`;
  if (isObject(v)) return `{${Object.keys(v).sort().map((k) => `${goString(k)}:${goJson(v[k])}`).join(",")}}`;
  if (typeof v === "string") return goString(v);
  if (typeof v === "bigint") return v.toString();
  return JSON.stringify(v) ?? "null";
}

function goString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** The header's `alg`, with the messages of OPA's JWS library. */
function headerAlg(headerText: string): string {
  if (headerText.trim() === "") throw new CryptoError("missing or invalid 'alg' header: cannot parse JSON: cannot parse empty string");
  let header: unknown;
  try {
    header = JSON.parse(headerText);
  } catch (e) {
    if (/^\s*[{[]/.test(headerText)) throw new CryptoError(`missing or invalid 'alg' header: cannot parse JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  const alg = isObject(header) ? header.alg : undefined;
  if (typeof alg !== "string") throw new CryptoError("missing or invalid 'alg' header: jwsbb: header \"alg\" not found");
  if (!JWS_ALGORITHMS.has(alg)) throw new CryptoError(`unknown JWS algorithm: ${alg}`);
  return alg;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function encodeSign(headerText: string, payloadText: string, jwkText: string): string {
  const jwks = parseJwkSet(jwkText);
  const first = jwks[0];
  if (!first) throw new CryptoError("no keys found in JWK set");
  const alg = headerAlg(headerText);
  const header = JSON.parse(headerText) as Record<string, unknown>;
  if ((typeof header.typ !== "string" || header.typ === "JWT") && !isJson(payloadText)) {
    throw new CryptoError("type is JWT but payload is not JSON");
  }
  const signingInput = `${encodeBase64Url(headerText)}.${encodeBase64Url(payloadText)}`;
  const signature = signData(jwkKey(first, "private"), alg, Buffer.from(signingInput));
  return `${signingInput}.${encodeBase64Url(signature)}`;
}

export const jwtSignBuiltins: Record<string, HostFn> = {
  "io.jwt.encode_sign_raw": (header, payload, key) => {
    const name = "io.jwt.encode_sign_raw";
    const keyText = str(name, 2, key);
    return encodeSign(str(name, 0, header), str(name, 1, payload), keyText);
  },
  "io.jwt.encode_sign": (header, payload, key) => encodeSign(goJson(header), goJson(payload), goJson(key)),
};
