/**
 * The status page's settings from the environment. The page needs the GitHub App's OAuth client id and secret (the
 * manifest flow writes them to `.env` as GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET) and SESSION_SECRET; without
 * them it is off and says so. PUBLIC_URL is where browsers reach the app (the OAuth callback is under it).
 */

export const SESSION_SECRET_MIN_LENGTH = 32;

export interface StatusPageSettings {
  clientId: string;
  clientSecret: string;
  sessionSecret: string;
  /** The app's public origin and path prefix, without a trailing slash, e.g. `https://fleetward.example.com`. */
  publicUrl: string;
  /** GitHub's web origin (`https://github.com`, or the GitHub Enterprise Server host): the OAuth endpoints. */
  webUrl: string;
  /** GitHub's REST API (`https://api.github.com`, or `…/api/v3` on GitHub Enterprise Server). */
  apiUrl: string;
  /** Cookies get `Secure` when PUBLIC_URL is https. */
  secureCookies: boolean;
}

export type StatusPageConfig = { enabled: true; settings: StatusPageSettings } | { enabled: false; problems: string[] };

/** The OAuth callback path, under PUBLIC_URL (app.yml's `callback_urls`). */
export const CALLBACK_PATH = "/fleet/callback";

export function readStatusPageConfig(env: NodeJS.ProcessEnv): StatusPageConfig {
  const problems: string[] = [];
  for (const name of ["GITHUB_CLIENT_ID", "GITHUB_CLIENT_SECRET", "SESSION_SECRET"]) if (!env[name]) problems.push(`${name} is not set`);
  const secret = env.SESSION_SECRET ?? "";
  if (secret && secret.length < SESSION_SECRET_MIN_LENGTH) problems.push(`SESSION_SECRET is shorter than ${SESSION_SECRET_MIN_LENGTH} characters`);
  const publicUrl = (env.PUBLIC_URL || `http://localhost:${env.PORT || "3000"}`).replace(/\/+$/, "");
  let parsed: URL | undefined;
  try {
    parsed = new URL(publicUrl);
  } catch {
    problems.push(`PUBLIC_URL is not a URL: ${JSON.stringify(publicUrl.slice(0, 100))}`);
  }
  if (parsed && parsed.protocol !== "http:" && parsed.protocol !== "https:") problems.push("PUBLIC_URL must be an http or https URL");
  if (problems.length > 0 || !parsed) return { enabled: false, problems };
  const protocol = env.GHE_PROTOCOL || "https";
  const webUrl = env.GHE_HOST ? `${protocol}://${env.GHE_HOST}` : "https://github.com";
  const apiUrl = env.GHE_HOST ? `${webUrl}/api/v3` : "https://api.github.com";
  return {
    enabled: true,
    settings: { clientId: env.GITHUB_CLIENT_ID ?? "", clientSecret: env.GITHUB_CLIENT_SECRET ?? "", sessionSecret: secret, publicUrl, webUrl, apiUrl, secureCookies: parsed.protocol === "https:" },
  };
}
