/**
 * GitHub's OAuth web flow for GitHub Apps (user-to-server tokens), faked: `/login/oauth/authorize` approves at once
 * as the user a test picked (`signInAs`) and redirects with a code; `POST /login/oauth/access_token` trades the code
 * for a `ghu_` token. These two web endpoints are not part of the REST API description, so they are checked here by
 * hand (GitHub's documented parameters and answers) instead of by the OpenAPI index. API calls made with a user token
 * go through `handle()` like every call and are validated there; they may use only `USER_TOKEN_OPERATIONS`, and see
 * what the user can read within the app's installations (see README, "OAuth").
 */
import { randomBytes } from "node:crypto";
import type { SimResponse } from "./github-simulator.js";
import { repoKey, type SimInstallation, type SimRepo, type SimUser } from "./sim-model.js";

/** A user-to-server token: the user it acts for and the app it was issued to. */
export interface SimUserToken {
  token: string;
  login: string;
  appId: number;
}

/** The operations a user token may call (others answer 403 "Resource not accessible by integration"). */
export const USER_TOKEN_OPERATIONS = new Set(["users/get-authenticated", "apps/list-installations-for-authenticated-user", "apps/list-installation-repos-for-authenticated-user", "repos/get"]);

/** What the OAuth part needs of the simulator. */
export interface OAuthHost {
  apps: Map<number, { id: number; client_id: string }>;
  installations: Map<number, SimInstallation>;
  user(login: string): SimUser;
  reposOfInstallation(inst: SimInstallation): SimRepo[];
}

interface PendingCode {
  login: string;
  appId: number;
  redirectUri: string;
  expires: number;
}

const CODE_TTL_MS = 10 * 60 * 1000;

const json = (status: number, body: unknown, headers: Record<string, string> = {}): SimResponse => ({ status, headers: { "content-type": "application/json; charset=utf-8", ...headers }, body: JSON.stringify(body) });

export class SimOAuth {
  readonly tokens = new Map<string, SimUserToken>();
  /** Every web request answered here: method, path and status (codes and tokens are not kept). */
  readonly webLog: { method: string; path: string; status: number }[] = [];
  private readonly secrets = new Map<number, string>();
  private readonly codes = new Map<string, PendingCode>();
  private approver: string | undefined;

  constructor(private readonly host: OAuthHost) {}

  /** The app's client secret (made on first use). */
  clientSecret(appId: number): string {
    let secret = this.secrets.get(appId);
    if (!secret) {
      secret = randomBytes(20).toString("hex");
      this.secrets.set(appId, secret);
    }
    return secret;
  }

  /** The app's client id. */
  clientId(appId: number): string {
    const app = this.host.apps.get(appId);
    if (!app) throw new Error(`unknown app ${appId}`);
    return app.client_id;
  }

  /** The user `/login/oauth/authorize` approves as from now on (undefined: the authorize page refuses). */
  signInAs(login: string | undefined): void {
    if (login !== undefined) this.host.user(login);
    this.approver = login;
  }

  /** A user token, as if the user had signed in (for tests that skip the web flow). */
  issueUserToken(appId: number, login: string): SimUserToken {
    const token: SimUserToken = { token: `ghu_${randomBytes(18).toString("hex")}`, login: this.host.user(login).login, appId };
    this.tokens.set(token.token, token);
    return token;
  }

  /** Whether `login` can read `r` on GitHub: public, their own, or a collaborator with any permission. */
  canRead(login: string, r: SimRepo): boolean {
    if (!r.private) return true;
    if (r.owner.login.toLowerCase() === login.toLowerCase()) return true;
    return [...r.collaborators.keys()].some((c) => c.toLowerCase() === login.toLowerCase());
  }

  /** The app's installations with at least one repository the user can read, as GitHub lists them for a user token. */
  installationsFor(t: SimUserToken): SimInstallation[] {
    return [...this.host.installations.values()].filter((i) => i.appId === t.appId && this.reposFor(t, i).length > 0);
  }

  /** The repositories of an installation the token's user can read. */
  reposFor(t: SimUserToken, inst: SimInstallation): SimRepo[] {
    return this.host.reposOfInstallation(inst).filter((r) => this.canRead(t.login, r));
  }

  /** Whether the token may see `r`: the user can read it and the app is installed on it. */
  tokenSees(t: SimUserToken, r: SimRepo): boolean {
    return this.installationsFor(t).some((i) => this.reposFor(t, i).some((x) => repoKey(x.owner.login, x.name) === repoKey(r.owner.login, r.name)));
  }

  /** Answers the OAuth web endpoints; undefined for every other path. */
  handleWeb(method: string, url: URL, body: string | undefined, headers: Record<string, string | string[] | undefined>): SimResponse | undefined {
    const path = url.pathname;
    if (path !== "/login/oauth/authorize" && path !== "/login/oauth/access_token") return undefined;
    const out = path === "/login/oauth/authorize" ? this.authorize(method, url) : this.accessToken(method, url, body, headers);
    this.webLog.push({ method, path, status: out.status });
    return out;
  }

  private appByClientId(clientId: string | null): { id: number } | undefined {
    return [...this.host.apps.values()].find((a) => a.client_id === clientId);
  }

  private authorize(method: string, url: URL): SimResponse {
    if (method !== "GET") return json(405, { message: "Method Not Allowed" });
    const app = this.appByClientId(url.searchParams.get("client_id"));
    if (!app) return { status: 404, headers: { "content-type": "text/plain" }, body: "unknown client_id" };
    const redirect = url.searchParams.get("redirect_uri");
    if (!redirect || !/^https?:\/\//.test(redirect)) return { status: 400, headers: { "content-type": "text/plain" }, body: "redirect_uri must be an absolute http(s) URL" };
    if (!this.approver) return { status: 403, headers: { "content-type": "text/plain" }, body: "the simulator has no user to sign in as: call sim.oauth.signInAs(login)" };
    const code = randomBytes(10).toString("hex");
    this.codes.set(code, { login: this.approver, appId: app.id, redirectUri: redirect, expires: Date.now() + CODE_TTL_MS });
    const target = new URL(redirect);
    target.searchParams.set("code", code);
    const state = url.searchParams.get("state");
    if (state !== null) target.searchParams.set("state", state);
    return { status: 302, headers: { location: target.toString() }, body: "" };
  }

  private accessToken(method: string, url: URL, body: string | undefined, headers: Record<string, string | string[] | undefined>): SimResponse {
    if (method !== "POST") return json(405, { message: "Method Not Allowed" });
    const type = String(headers["content-type"] ?? "");
    const answer = (fields: Record<string, string>): SimResponse =>
      String(headers["accept"] ?? "").includes("application/json") ? json(200, fields) : { status: 200, headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" }, body: new URLSearchParams(fields).toString() };
    let params: URLSearchParams;
    try {
      params = type.includes("application/json") ? new URLSearchParams(JSON.parse(body ?? "{}") as Record<string, string>) : new URLSearchParams(body ?? "");
    } catch {
      return json(400, { error: "bad_request", error_description: "the body is not valid JSON" });
    }
    for (const [k, v] of url.searchParams) if (!params.has(k)) params.set(k, v);
    const app = this.appByClientId(params.get("client_id"));
    // GitHub answers OAuth errors with 200 and an `error` field; JSON only when the client accepts it.
    if (!app || params.get("client_secret") !== this.clientSecret(app.id)) return answer({ error: "incorrect_client_credentials", error_description: "The client_id and/or client_secret passed are incorrect." });
    const code = params.get("code") ?? "";
    const pending = this.codes.get(code);
    this.codes.delete(code);
    const redirect = params.get("redirect_uri");
    if (!pending || pending.appId !== app.id || pending.expires < Date.now() || (redirect !== null && redirect !== pending.redirectUri)) {
      return answer({ error: "bad_verification_code", error_description: "The code passed is incorrect or expired." });
    }
    const token = this.issueUserToken(app.id, pending.login);
    return answer({ access_token: token.token, token_type: "bearer", scope: "" });
  }
}
