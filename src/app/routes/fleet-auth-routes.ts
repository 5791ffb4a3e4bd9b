/**
 * The status page's sign-in and sign-out: `GET /fleet/login` (a fresh OAuth state in a cookie, then GitHub's
 * authorize page), `GET /fleet/callback` (state checked against the cookie, code traded for the user's token, session
 * cookie set), `POST /fleet/logout` (with the session's CSRF token; clears the session). Tokens and codes are never
 * logged.
 */
import { parseCookies, serializeCookie } from "../status-page/cookies.js";
import { GitHubUserError, authorizeUrl, exchangeCode, readLogin } from "../status-page/github-user-api.js";
import { renderErrorPage, renderSignInPage } from "../status-page/render-pages.js";
import { SESSION_COOKIE, SESSION_TTL_MS, STATE_COOKIE, STATE_TTL_MS, csrfTokenMatches, newOAuthState, oauthStateMatches, openSession, sealSession } from "../status-page/session.js";
import { type RouteHandler, type StatusPageDeps, redirect, requestUrl, sendDisabled, sendHtml } from "../status-page/status-page-deps.js";
import { CALLBACK_PATH } from "../status-page/status-page-settings.js";
import { readRequestBody } from "./read-request-body.js";

const LOGOUT_BODY_LIMIT = 4096;

export function createFleetAuthRoutes(deps: StatusPageDeps): RouteHandler[] {
  const login: RouteHandler = async (req, res) => {
    if (requestUrl(req).pathname !== "/fleet/login") return false;
    if (!deps.config.enabled) return sendDisabled(res, deps.config.problems);
    const s = deps.config.settings;
    const { state, cookie } = newOAuthState(s.sessionSecret, deps.now().getTime());
    redirect(res, authorizeUrl(s, state), [serializeCookie(STATE_COOKIE, cookie, { maxAge: STATE_TTL_MS / 1000, secure: s.secureCookies })]);
    return true;
  };

  const callback: RouteHandler = async (req, res) => {
    const url = requestUrl(req);
    if (url.pathname !== CALLBACK_PATH) return false;
    // The request log line is written from req.url when the answer ends: the one-time code and the state stay out.
    req.url = CALLBACK_PATH;
    if (!deps.config.enabled) return sendDisabled(res, deps.config.problems);
    const s = deps.config.settings;
    const now = deps.now().getTime();
    const clearState = serializeCookie(STATE_COOKIE, "", { maxAge: 0, secure: s.secureCookies });
    const cookies = parseCookies(req.headers.cookie);
    if (!oauthStateMatches(s.sessionSecret, cookies.get(STATE_COOKIE), url.searchParams.get("state"), now)) {
      deps.log.warn({ code: "oauth_state_mismatch" }, "status page sign-in refused: the OAuth state does not match this browser's");
      sendHtml(res, 400, renderSignInPage("The sign-in did not start in this browser, or took too long. Please sign in again."), { "set-cookie": [clearState] });
      return true;
    }
    const code = url.searchParams.get("code");
    if (!code) {
      sendHtml(res, 400, renderSignInPage(`GitHub did not approve the sign-in${url.searchParams.get("error") ? ` (${url.searchParams.get("error")?.slice(0, 64)})` : ""}.`), { "set-cookie": [clearState] });
      return true;
    }
    try {
      const token = await exchangeCode(s, code);
      const login = await readLogin(s, token);
      const session = sealSession(s.sessionSecret, { login, token }, now);
      deps.log.info({ user: login }, "status page: signed in");
      redirect(res, "/fleet", [clearState, serializeCookie(SESSION_COOKIE, session, { maxAge: SESSION_TTL_MS / 1000, secure: s.secureCookies })]);
    } catch (error) {
      const code = error instanceof GitHubUserError ? error.code : "internal";
      deps.log.warn({ code, err: { message: (error as Error).message } }, "status page sign-in failed");
      sendHtml(res, 502, renderSignInPage(error instanceof GitHubUserError ? `${error.message}. Please sign in again.` : "The sign-in failed. Please sign in again."), { "set-cookie": [clearState] });
    }
    return true;
  };

  const logout: RouteHandler = async (req, res) => {
    if (requestUrl(req).pathname !== "/fleet/logout") return false;
    if (!deps.config.enabled) return sendDisabled(res, deps.config.problems);
    if (req.method !== "POST") {
      sendHtml(res, 405, renderErrorPage(null, "Sign out with the button on the fleet status page."), { allow: "POST" });
      return true;
    }
    const s = deps.config.settings;
    const session = openSession(s.sessionSecret, parseCookies(req.headers.cookie).get(SESSION_COOKIE), deps.now().getTime());
    const body = await readRequestBody(req, LOGOUT_BODY_LIMIT);
    const csrf = body.ok ? new URLSearchParams(body.body.toString("utf8")).get("csrf") : null;
    if (session && !csrfTokenMatches(s.sessionSecret, session, csrf)) {
      deps.log.warn({ code: "csrf_mismatch", user: session.login }, "status page sign-out refused: missing or wrong CSRF token");
      sendHtml(res, 403, renderErrorPage(null, "The sign-out did not come from the fleet status page (its form token is missing or wrong)."), body.ok ? {} : { connection: "close" });
      return true;
    }
    redirect(res, "/fleet", [serializeCookie(SESSION_COOKIE, "", { maxAge: 0, secure: s.secureCookies })]);
    return true;
  };

  return [login, callback, logout];
}
