/** Verifies a GitHub App JWT (RS256, `iss` = app id) the way GitHub does before issuing installation tokens. */
import { verify, type KeyObject } from "node:crypto";

export type JwtCheck = { ok: true; appId: number } | { ok: false; message: string };

const EXPIRED = "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires";
const TOO_FAR = "'Expiration time' claim ('exp') is too far in the future";
const IAT = "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued";
const UNDECODABLE = "A JSON web token could not be decoded";

function decodeJson(part: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `publicKeyFor(appId)` gives the key of a registered app. Times are checked against `nowSeconds`
 * (wall-clock: the JWT is minted from the app's real clock), with GitHub's 60 s tolerance and 10 min maximum lifetime.
 */
export function verifyAppJwt(token: string, publicKeyFor: (appId: number) => KeyObject | undefined, nowSeconds: number): JwtCheck {
  const parts = token.split(".");
  if (parts.length !== 3) return { ok: false, message: UNDECODABLE };
  const [h, p, s] = parts as [string, string, string];
  const header = decodeJson(h);
  const payload = decodeJson(p);
  if (!header || !payload || header["alg"] !== "RS256") return { ok: false, message: UNDECODABLE };
  const appId = Number(payload["iss"]);
  const key = Number.isInteger(appId) ? publicKeyFor(appId) : undefined;
  if (!key) return { ok: false, message: `Integration not found` };
  const valid = verify("RSA-SHA256", Buffer.from(`${h}.${p}`), key, Buffer.from(s, "base64url"));
  if (!valid) return { ok: false, message: UNDECODABLE };
  const iat = payload["iat"];
  const exp = payload["exp"];
  if (typeof iat !== "number" || !Number.isInteger(iat) || iat > nowSeconds + 60) return { ok: false, message: IAT };
  if (typeof exp !== "number" || exp <= nowSeconds - 60) return { ok: false, message: EXPIRED };
  if (exp - iat > 600 + 60 || exp > nowSeconds + 600 + 60) return { ok: false, message: TOO_FAR };
  return { ok: true, appId };
}
