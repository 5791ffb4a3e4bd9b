/**
 * The manifest Probot's setup flow posts to GitHub to create the app. Probot points its webhook at
 * `WEBHOOK_PROXY_URL` or else at the page's own address (`http://localhost:3000/`), which GitHub cannot reach, and
 * app.yml's OAuth callback is a localhost example. Fleetward fixes both from the environment:
 *
 * - webhook: `WEBHOOK_PROXY_URL` (a smee.io channel forwarding to this machine) when set; else
 *   `PUBLIC_URL` + `WEBHOOK_PATH` (default `/api/github/webhooks`); with neither, the app is created with its webhook
 *   **inactive** (GitHub requires a URL: a placeholder that says what to set) and the setup log says so;
 * - `callback_urls`: `PUBLIC_URL/fleet/callback` when `PUBLIC_URL` is set (the status page's sign-in).
 */

/** The placeholder webhook URL of an app created without a reachable address (its webhook inactive). */
export const UNSET_WEBHOOK_URL = "https://example.com/fleetward-set-PUBLIC_URL-or-WEBHOOK_PROXY_URL";

export class SetupManifestError extends Error {}

function httpUrl(name: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new SetupManifestError(`${name} must be an http(s) URL (got "${value}")`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new SetupManifestError(`${name} must be an http(s) URL (got "${value}")`);
  return value.replace(/\/+$/, "");
}

export interface ManifestHook {
  hook: { url: string; active: boolean };
  callbackUrls?: string[];
  /** Said in the setup log when the webhook cannot be active. */
  warning?: string;
}

/** Where GitHub should send webhooks and people, from the environment (throws SetupManifestError on a bad URL). */
export function manifestHook(env: Readonly<Record<string, string | undefined>>): ManifestHook {
  const proxy = env.WEBHOOK_PROXY_URL?.trim() || undefined;
  const publicUrl = env.PUBLIC_URL?.trim() ? httpUrl("PUBLIC_URL", env.PUBLIC_URL.trim()) : undefined;
  const path = env.WEBHOOK_PATH?.trim() || "/api/github/webhooks";
  const callbackUrls = publicUrl !== undefined ? [`${publicUrl}/fleet/callback`] : undefined;
  const withCallbacks = callbackUrls !== undefined ? { callbackUrls } : {};
  if (proxy !== undefined) return { hook: { url: httpUrl("WEBHOOK_PROXY_URL", proxy), active: true }, ...withCallbacks };
  if (publicUrl !== undefined) return { hook: { url: `${publicUrl}${path.startsWith("/") ? path : `/${path}`}`, active: true }, ...withCallbacks };
  return {
    hook: { url: UNSET_WEBHOOK_URL, active: false },
    warning: "neither WEBHOOK_PROXY_URL nor PUBLIC_URL is set: the app will be created with its webhook inactive. Set PUBLIC_URL (where GitHub reaches this server) or WEBHOOK_PROXY_URL (a smee.io channel) and restart, or fix the webhook URL on the app's settings page afterwards",
  };
}

/** Probot's manifest JSON with Fleetward's webhook and callback URLs. */
export function adjustSetupManifest(manifestJson: string, env: Readonly<Record<string, string | undefined>>): string {
  const manifest = JSON.parse(manifestJson) as Record<string, unknown>;
  const { hook, callbackUrls } = manifestHook(env);
  manifest.hook_attributes = hook;
  if (callbackUrls !== undefined) manifest.callback_urls = callbackUrls;
  return JSON.stringify(manifest);
}
