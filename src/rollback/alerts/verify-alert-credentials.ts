import { createHash, createHmac, timingSafeEqual } from "node:crypto";

/** Credentials the alert routes accept; at least one must be configured or every request is refused. */
export interface AlertCredentials {
  bearerToken?: string;
  /** `user:password`, as Alertmanager's `http_config.basic_auth` sends it. */
  basicAuth?: string;
}

/** Compares secrets in constant time (hashing first, so lengths leak nothing either). */
export function secretsEqual(given: string, expected: string): boolean {
  const a = createHash("sha256").update(given, "utf8").digest();
  const b = createHash("sha256").update(expected, "utf8").digest();
  return timingSafeEqual(a, b) && given.length === expected.length;
}

/** True when the `Authorization` header carries a configured bearer token or basic credentials. */
export function verifyAlertCredentials(authorization: string | undefined, credentials: AlertCredentials): boolean {
  if (!authorization) return false;
  const space = authorization.indexOf(" ");
  if (space < 0) return false;
  const scheme = authorization.slice(0, space).toLowerCase();
  const value = authorization.slice(space + 1).trim();
  if (scheme === "bearer" && credentials.bearerToken) return secretsEqual(value, credentials.bearerToken);
  if (scheme === "basic" && credentials.basicAuth) {
    let decoded: string;
    try {
      decoded = Buffer.from(value, "base64").toString("utf8");
    } catch {
      return false;
    }
    return secretsEqual(decoded, credentials.basicAuth);
  }
  return false;
}

export interface GrafanaSignatureInput {
  body: Buffer;
  /** `X-Grafana-Alerting-Signature`: hex HMAC-SHA256. */
  signature: string | undefined;
  /** The timestamp header's value, when Grafana is configured to send one: then `timestamp:body` is signed. */
  timestamp?: string | undefined;
  secret: string;
  /** With a timestamp: the most it may differ from now, against replays. Default 5 minutes. */
  maxSkewMs?: number;
  now?: number;
}

/** Verifies Grafana's HMAC-SHA256 body signature (and the timestamp's freshness when one is sent). */
export function verifyGrafanaSignature(input: GrafanaSignatureInput): boolean {
  if (!input.signature) return false;
  const hmac = createHmac("sha256", input.secret);
  if (input.timestamp !== undefined) {
    const seconds = Number(input.timestamp);
    if (!Number.isFinite(seconds)) return false;
    const skew = Math.abs((input.now ?? Date.now()) - seconds * 1000);
    if (skew > (input.maxSkewMs ?? 5 * 60_000)) return false;
    hmac.update(`${input.timestamp}:`);
  }
  hmac.update(input.body);
  const expected = hmac.digest();
  const given = /^[0-9a-f]{64}$/i.test(input.signature) ? Buffer.from(input.signature, "hex") : Buffer.alloc(0);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
