/**
 * `GET /fleet`: the fleet status page. Off (503, saying how to turn it on) without the OAuth settings; without a
 * session, an invitation to sign in; with one, the status of every repository of the app's installations that the
 * user can read, as GitHub answers for the user's own token.
 */
import type { Logger } from "pino";
import { parseCookies, serializeCookie } from "../status-page/cookies.js";
import { GitHubUserError, visibleRepositories, type VisibleRepository } from "../status-page/github-user-api.js";
import { type RepositoryEntry, renderErrorPage, renderFleetPage, renderSignInPage } from "../status-page/render-pages.js";
import { SESSION_COOKIE, csrfToken, openSession } from "../status-page/session.js";
import { type RouteHandler, type StatusPageDeps, requestUrl, sendDisabled, sendHtml } from "../status-page/status-page-deps.js";

/** Repositories whose status is read at the same time. */
const CONCURRENCY = 4;

async function readEntries(repos: VisibleRepository[], deps: StatusPageDeps, log: Logger): Promise<RepositoryEntry[]> {
  const out: RepositoryEntry[] = [];
  for (let i = 0; i < repos.length; i += CONCURRENCY) {
    const batch = repos.slice(i, i + CONCURRENCY);
    out.push(
      ...(await Promise.all(
        batch.map(async (r): Promise<RepositoryEntry> => {
          const base = { owner: r.owner, name: r.name, url: r.htmlUrl };
          try {
            return { ...base, status: await deps.loadStatus(r) };
          } catch (error) {
            log.warn({ repository: `${r.owner}/${r.name}`, err: { message: (error as Error).message } }, "status page: reading a repository's status failed");
            return { ...base, error: "GitHub could not be read; try again in a moment." };
          }
        }),
      )),
    );
  }
  return out;
}

export function createFleetPageRoute(deps: StatusPageDeps): RouteHandler {
  return async (req, res) => {
    const path = requestUrl(req).pathname;
    if (path !== "/fleet" && path !== "/fleet/") return false;
    if (req.method !== "GET" && req.method !== "HEAD") {
      sendHtml(res, 405, renderErrorPage(null, "The fleet status page answers GET."), { allow: "GET, HEAD" });
      return true;
    }
    if (!deps.config.enabled) return sendDisabled(res, deps.config.problems);
    const s = deps.config.settings;
    const session = openSession(s.sessionSecret, parseCookies(req.headers.cookie).get(SESSION_COOKIE), deps.now().getTime());
    if (!session) {
      sendHtml(res, 200, renderSignInPage());
      return true;
    }
    const user = { login: session.login, csrfToken: csrfToken(s.sessionSecret, session) };
    try {
      const repos = await visibleRepositories(s, session.token);
      sendHtml(res, 200, renderFleetPage(user, await readEntries(repos, deps, deps.log), deps.now()));
    } catch (error) {
      if (error instanceof GitHubUserError && error.code === "token_rejected") {
        sendHtml(res, 200, renderSignInPage("Your sign-in has expired. Please sign in again."), { "set-cookie": serializeCookie(SESSION_COOKIE, "", { maxAge: 0, secure: s.secureCookies }) });
        return true;
      }
      deps.log.warn({ user: session.login, err: { message: (error as Error).message } }, "status page: listing the user's repositories failed");
      sendHtml(res, 502, renderErrorPage(user, "GitHub could not be read; try again in a moment."));
    }
    return true;
  };
}
