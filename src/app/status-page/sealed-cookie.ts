/**
 * Cookie values only the app can make and read: the JSON payload is encrypted with AES-256-GCM and the result signed
 * with HMAC-SHA256 over the cookie's name and value, both keys derived from SESSION_SECRET (HKDF), so every replica
 * with the same secret reads every replica's cookies. The payload carries its own expiry.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from "node:crypto";

interface Keys {
  enc: Buffer;
  mac: Buffer;
}

const keyCache = new Map<string, Keys>();

function keys(secret: string): Keys {
  let k = keyCache.get(secret);
  if (!k) {
    const derive = (info: string): Buffer => Buffer.from(hkdfSync("sha256", secret, "fleetward-status-page", info, 32));
    k = { enc: derive("cookie encryption"), mac: derive("cookie signature") };
    keyCache.clear();
    keyCache.set(secret, k);
  }
  return k;
}

function sign(mac: Buffer, name: string, body: string): string {
  return createHmac("sha256", mac).update(`${name}=${body}`).digest("base64url");
}

/** The cookie value for `payload`, valid until `expiresAt` (ms since the epoch). */
export function seal(secret: string, name: string, payload: object, expiresAt: number): string {
  const k = keys(secret);
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", k.enc, iv);
  cipher.setAAD(Buffer.from(name));
  const plain = Buffer.from(JSON.stringify({ exp: expiresAt, data: payload }));
  const body = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]).toString("base64url");
  return `${body}.${sign(k.mac, name, body)}`;
}

/** The payload of a cookie value made by `seal` with the same secret and name, if it is intact and not expired. */
export function unseal(secret: string, name: string, value: string | undefined, now: number): unknown {
  if (!value) return undefined;
  const dot = value.lastIndexOf(".");
  if (dot <= 0) return undefined;
  const k = keys(secret);
  const body = value.slice(0, dot);
  const given = Buffer.from(value.slice(dot + 1));
  const expected = Buffer.from(sign(k.mac, name, body));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  const raw = Buffer.from(body, "base64url");
  if (raw.length < 12 + 16) return undefined;
  try {
    const decipher = createDecipheriv("aes-256-gcm", k.enc, raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(name));
    decipher.setAuthTag(raw.subarray(raw.length - 16));
    const plain = Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]);
    const parsed = JSON.parse(plain.toString("utf8")) as { exp?: unknown; data?: unknown };
    if (typeof parsed.exp !== "number" || parsed.exp <= now) return undefined;
    return parsed.data;
  } catch {
    return undefined;
  }
}
