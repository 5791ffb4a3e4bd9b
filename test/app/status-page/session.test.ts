import { seal, unseal } from "../../../src/app/status-page/sealed-cookie.js";
import { SESSION_TTL_MS, csrfToken, csrfTokenMatches, newOAuthState, oauthStateMatches, openSession, sealSession, STATE_TTL_MS } from "../../../src/app/status-page/session.js";
import { parseCookies, serializeCookie } from "../../../src/app/status-page/cookies.js";
import { readStatusPageConfig } from "../../../src/app/status-page/status-page-settings.js";

const SECRET = "s".repeat(40);
const OTHER = "o".repeat(40);
const T0 = Date.parse("2026-01-01T00:00:00Z");

test("a sealed value opens with the same secret and name, and neither holds the token in clear", () => {
  const value = sealSession(SECRET, { login: "alice", token: "ghu_secret123" }, T0);
  expect(value).not.toContain("ghu_secret123");
  expect(Buffer.from(value.split(".")[0]!, "base64url").toString("latin1")).not.toContain("ghu_secret123");
  expect(openSession(SECRET, value, T0 + 1000)).toMatchObject({ login: "alice", token: "ghu_secret123" });
  // Another replica with the same secret reads it; another secret does not.
  expect(openSession(OTHER, value, T0)).toBeUndefined();
  // Expired after the session's lifetime.
  expect(openSession(SECRET, value, T0 + SESSION_TTL_MS + 1)).toBeUndefined();
});

test("a tampered, truncated or renamed cookie is refused", () => {
  const value = seal(SECRET, "c", { a: 1 }, T0 + 1000);
  expect(unseal(SECRET, "c", value, T0)).toEqual({ a: 1 });
  const [body, sig] = value.split(".");
  const flipped = `${body!.slice(0, 5)}${body![5] === "A" ? "B" : "A"}${body!.slice(6)}.${sig}`;
  expect(unseal(SECRET, "c", flipped, T0)).toBeUndefined();
  expect(unseal(SECRET, "c", `${body}.${sig!.slice(1)}`, T0)).toBeUndefined();
  expect(unseal(SECRET, "c", body, T0)).toBeUndefined();
  expect(unseal(SECRET, "other", value, T0)).toBeUndefined();
  expect(unseal(SECRET, "c", "", T0)).toBeUndefined();
  expect(unseal(SECRET, "c", "x.y", T0)).toBeUndefined();
});

test("the CSRF token is bound to the session: another session's token does not match", () => {
  const a = openSession(SECRET, sealSession(SECRET, { login: "alice", token: "t" }, T0), T0)!;
  const b = openSession(SECRET, sealSession(SECRET, { login: "alice", token: "t" }, T0), T0)!;
  expect(csrfTokenMatches(SECRET, a, csrfToken(SECRET, a))).toBe(true);
  expect(csrfTokenMatches(SECRET, a, csrfToken(SECRET, b))).toBe(false);
  expect(csrfTokenMatches(SECRET, a, null)).toBe(false);
  expect(csrfTokenMatches(SECRET, a, "")).toBe(false);
});

test("the OAuth state matches only the browser's own cookie, and only for a while", () => {
  const one = newOAuthState(SECRET, T0);
  const two = newOAuthState(SECRET, T0);
  expect(one.state).not.toBe(two.state);
  expect(oauthStateMatches(SECRET, one.cookie, one.state, T0 + 1000)).toBe(true);
  expect(oauthStateMatches(SECRET, one.cookie, two.state, T0)).toBe(false);
  expect(oauthStateMatches(SECRET, undefined, one.state, T0)).toBe(false);
  expect(oauthStateMatches(SECRET, one.cookie, null, T0)).toBe(false);
  expect(oauthStateMatches(SECRET, one.cookie, one.state, T0 + STATE_TTL_MS + 1)).toBe(false);
});

test("cookies are HttpOnly and SameSite=Lax always, Secure when asked; parsing keeps the first of a name", () => {
  expect(serializeCookie("a", "b", { maxAge: 60, secure: false })).toBe("a=b; Path=/; Max-Age=60; HttpOnly; SameSite=Lax");
  expect(serializeCookie("a", "", { maxAge: 0, secure: true })).toBe("a=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax; Secure");
  expect([...parseCookies("x=1; y=a=b; x=2; junk; =z")]).toEqual([["x", "1"], ["y", "a=b"]]);
});

describe("settings", () => {
  const full = { GITHUB_CLIENT_ID: "Iv1.abc", GITHUB_CLIENT_SECRET: "shh", SESSION_SECRET: SECRET };
  test("off without the OAuth settings, naming each missing one", () => {
    expect(readStatusPageConfig({})).toEqual({ enabled: false, problems: ["GITHUB_CLIENT_ID is not set", "GITHUB_CLIENT_SECRET is not set", "SESSION_SECRET is not set"] });
    expect(readStatusPageConfig({ ...full, SESSION_SECRET: "short" })).toEqual({ enabled: false, problems: ["SESSION_SECRET is shorter than 32 characters"] });
    expect(readStatusPageConfig({ ...full, PUBLIC_URL: "ftp://x" })).toEqual({ enabled: false, problems: ["PUBLIC_URL must be an http or https URL"] });
  });
  test("github.com by default, GitHub Enterprise Server with GHE_HOST; Secure cookies for an https PUBLIC_URL", () => {
    expect(readStatusPageConfig({ ...full, PORT: "8080" })).toMatchObject({ enabled: true, settings: { webUrl: "https://github.com", apiUrl: "https://api.github.com", publicUrl: "http://localhost:8080", secureCookies: false } });
    expect(readStatusPageConfig({ ...full, GHE_HOST: "ghe.example.com", PUBLIC_URL: "https://fleet.example.com/" })).toMatchObject({
      enabled: true,
      settings: { webUrl: "https://ghe.example.com", apiUrl: "https://ghe.example.com/api/v3", publicUrl: "https://fleet.example.com", secureCookies: true },
    });
    expect(readStatusPageConfig({ ...full, GHE_HOST: "127.0.0.1:9", GHE_PROTOCOL: "http" })).toMatchObject({ settings: { webUrl: "http://127.0.0.1:9", apiUrl: "http://127.0.0.1:9/api/v3" } });
  });
});
