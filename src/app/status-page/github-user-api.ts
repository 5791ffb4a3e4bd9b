/**
 * The status page's calls to GitHub as the signed-in user: the OAuth web flow (authorize URL, code → token) and the
 * reads that decide what the user may see, made with the user's own token. Plain `fetch` with a deadline; the token
 * is never part of an error message.
 */
import { CALLBACK_PATH, type StatusPageSettings } from "./status-page-settings.js";

const TIMEOUT_MS = 10_000;
/** Most pages read of one listing (100 entries each). */
const MAX_PAGES = 10;

/** A failure of the OAuth flow or of a user-token call, with a stable code. */
export class GitHubUserError extends Error {
  constructor(
    readonly code: "oauth_refused" | "oauth_unreachable" | "token_rejected" | "github_error",
    message: string,
  ) {
    super(message);
  }
}

export function authorizeUrl(settings: StatusPageSettings, state: string): string {
  const url = new URL("/login/oauth/authorize", settings.webUrl);
  url.searchParams.set("client_id", settings.clientId);
  url.searchParams.set("redirect_uri", `${settings.publicUrl}${CALLBACK_PATH}`);
  url.searchParams.set("state", state);
  return url.toString();
}

/** Trades the callback's code for the user's token. */
export async function exchangeCode(settings: StatusPageSettings, code: string): Promise<string> {
  const body = new URLSearchParams({ client_id: settings.clientId, client_secret: settings.clientSecret, code, redirect_uri: `${settings.publicUrl}${CALLBACK_PATH}` });
  let res: Response;
  try {
    res = await fetch(new URL("/login/oauth/access_token", settings.webUrl), {
      method: "POST",
      headers: { accept: "application/json", "content-type": "application/x-www-form-urlencoded" },
      body,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    throw new GitHubUserError("oauth_unreachable", `GitHub's token endpoint did not answer: ${(error as Error).message}`);
  }
  const answer = (await res.json().catch(() => ({}))) as { access_token?: unknown; error?: unknown; error_description?: unknown };
  if (!res.ok || typeof answer.access_token !== "string") {
    const why = typeof answer.error === "string" ? answer.error : `HTTP ${res.status}`;
    throw new GitHubUserError("oauth_refused", `GitHub refused the sign-in: ${why}`);
  }
  return answer.access_token;
}

async function getJson(settings: StatusPageSettings, token: string, path: string): Promise<{ body: unknown; next: string | undefined }> {
  let res: Response;
  try {
    res = await fetch(path.startsWith("http") ? path : `${settings.apiUrl}${path}`, {
      headers: { accept: "application/vnd.github+json", authorization: `Bearer ${token}`, "x-github-api-version": "2022-11-28" },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    throw new GitHubUserError("github_error", `GitHub did not answer: ${(error as Error).message}`);
  }
  if (res.status === 401) throw new GitHubUserError("token_rejected", "GitHub no longer accepts the sign-in");
  if (!res.ok) throw new GitHubUserError("github_error", `GitHub answered ${res.status} to ${path.replace(/\?.*$/, "")}`);
  const next = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get("link") ?? "")?.[1];
  return { body: await res.json(), next };
}

async function listAll<T>(settings: StatusPageSettings, token: string, path: string, key: string): Promise<T[]> {
  const out: T[] = [];
  let url: string | undefined = `${path}?per_page=100`;
  for (let page = 0; url && page < MAX_PAGES; page++) {
    const { body, next } = await getJson(settings, token, url);
    out.push(...(((body as Record<string, unknown>)[key] as T[] | undefined) ?? []));
    url = next;
  }
  return out;
}

/** The signed-in user's login. */
export async function readLogin(settings: StatusPageSettings, token: string): Promise<string> {
  const { body } = await getJson(settings, token, "/user");
  const login = (body as { login?: unknown }).login;
  if (typeof login !== "string") throw new GitHubUserError("github_error", "GitHub's /user has no login");
  return login;
}

/** A repository the signed-in user can read, in one of the app's installations. */
export interface VisibleRepository {
  installationId: number;
  owner: string;
  name: string;
  private: boolean;
  htmlUrl: string;
}

/**
 * The repositories of the app's installations the user can read, as GitHub answers for the user's token (a user
 * token lists only the installations of the app that issued it, and in each only what the user can read).
 */
export async function visibleRepositories(settings: StatusPageSettings, token: string): Promise<VisibleRepository[]> {
  const installations = await listAll<{ id: number }>(settings, token, "/user/installations", "installations");
  const out: VisibleRepository[] = [];
  for (const inst of installations) {
    const repos = await listAll<{ name: string; owner: { login: string }; private: boolean; html_url: string }>(settings, token, `/user/installations/${inst.id}/repositories`, "repositories");
    for (const r of repos) out.push({ installationId: inst.id, owner: r.owner.login, name: r.name, private: r.private, htmlUrl: r.html_url });
  }
  return out.sort((a, b) => `${a.owner}/${a.name}`.localeCompare(`${b.owner}/${b.name}`));
}
