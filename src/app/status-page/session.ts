/**
 * The status page's browser session and OAuth state, as sealed cookies (sealed-cookie.ts): a session holds the
 * user's login and their GitHub token (encrypted, never logged), a random id the sign-out CSRF token is derived from,
 * and expires after `SESSION_TTL_MS`. The OAuth `state` is random, kept in its own short-lived cookie, and must come
 * back unchanged from GitHub in the same browser.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { seal, unseal } from "./sealed-cookie.js";

export const SESSION_COOKIE = "fleetward_session";
export const STATE_COOKIE = "fleetward_oauth_state";
/** How long a sign-in lasts (GitHub's user-to-server tokens last 8 hours too). */
export const SESSION_TTL_MS = 8 * 60 * 60 * 1000;
/** How long the browser may take at GitHub between "Sign in" and the callback. */
export const STATE_TTL_MS = 10 * 60 * 1000;

export interface Session {
  login: string;
  token: string;
  sid: string;
}

export function sealSession(secret: string, session: { login: string; token: string }, now: number): string {
  const value: Session = { ...session, sid: randomBytes(16).toString("base64url") };
  return seal(secret, SESSION_COOKIE, value, now + SESSION_TTL_MS);
}

export function openSession(secret: string, cookie: string | undefined, now: number): Session | undefined {
  const data = unseal(secret, SESSION_COOKIE, cookie, now) as Partial<Session> | undefined;
  if (!data || typeof data.login !== "string" || typeof data.token !== "string" || typeof data.sid !== "string") return undefined;
  return { login: data.login, token: data.token, sid: data.sid };
}

/** The CSRF token of the sign-out form: bound to the session, so it is useless without the session cookie. */
export function csrfToken(secret: string, session: Session): string {
  return createHmac("sha256", secret).update(`csrf:${session.sid}`).digest("base64url");
}

/** Compares two texts in constant time (for their length). */
function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function csrfTokenMatches(secret: string, session: Session, given: string | null | undefined): boolean {
  return sameText(csrfToken(secret, session), given ?? "");
}

/** A new OAuth state and the cookie value that binds it to this browser. */
export function newOAuthState(secret: string, now: number): { state: string; cookie: string } {
  const state = randomBytes(24).toString("base64url");
  return { state, cookie: seal(secret, STATE_COOKIE, { state }, now + STATE_TTL_MS) };
}

/** Whether `given` (the callback's `state`) is the one this browser's state cookie holds. */
export function oauthStateMatches(secret: string, cookie: string | undefined, given: string | null, now: number): boolean {
  const data = unseal(secret, STATE_COOKIE, cookie, now) as { state?: unknown } | undefined;
  return Boolean(data && typeof data.state === "string" && given && sameText(data.state, given));
}
