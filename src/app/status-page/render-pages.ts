/** The status page's whole answers: the fleet, the sign-in invitation, the page when off, an error. */
import type { FleetStatus } from "../../promotion/fleet-status/fleet-status-types.js";
import { formatTime } from "./format.js";
import { html, safeHref } from "./html.js";
import { layout, type LayoutUser } from "./page-layout.js";
import { renderRepository } from "./render-repository.js";

/** One repository the user can read: its status, or why it could not be read. */
export type RepositoryEntry = { owner: string; name: string; url: string; status: FleetStatus } | { owner: string; name: string; url: string; error: string };

export function renderFleetPage(user: LayoutUser, repos: RepositoryEntry[], now: Date): string {
  const toc = repos.length > 1 ? html`<nav aria-label="Repositories"><ul>${repos.map((r, i) => html`<li><a href="#repo-${i}">${r.owner}/${r.name}</a></li>`)}</ul></nav>` : "";
  const sections = repos.map((r, i) =>
    "status" in r
      ? renderRepository(r.status, i)
      : html`<section aria-labelledby="repo-${i}"><h2 id="repo-${i}"><a href="${safeHref(r.url)}">${r.owner}/${r.name}</a></h2><p>Could not read its status: ${r.error}</p></section>`,
  );
  const body = repos.length
    ? html`<h1>Fleet status</h1>
<p class="muted">Read from GitHub at ${formatTime(now.toISOString())}; repositories you can read where Fleetward is installed.</p>
${toc}${sections}`
    : html`<h1>Fleet status</h1><p>Fleetward is not installed on any repository you can read.</p>`;
  return layout("Fleet status · Fleetward", user, body);
}

export function renderSignInPage(message?: string): string {
  return layout(
    "Sign in · Fleetward",
    null,
    html`<h1>Fleet status</h1>
${message ? html`<p role="alert">${message}</p>` : ""}
<p>The fleet status shows the repositories you can read on GitHub.</p>
<p><a href="/fleet/login">Sign in with GitHub</a></p>`,
  );
}

export function renderDisabledPage(problems: string[]): string {
  return layout(
    "Fleet status is off · Fleetward",
    null,
    html`<h1>The fleet status page is off</h1>
<p>It needs the GitHub App's OAuth credentials and a session secret:</p>
<ul>${problems.map((p) => html`<li>${p}</li>`)}</ul>
<p>To turn it on, set in the environment (or <code>.env</code>):</p>
<ul>
<li><code>GITHUB_CLIENT_ID</code> and <code>GITHUB_CLIENT_SECRET</code>: the app's client id and a client secret (its settings page on GitHub; the setup flow writes both to <code>.env</code>),</li>
<li><code>SESSION_SECRET</code>: a random text of at least 32 characters, the same on every replica,</li>
<li><code>PUBLIC_URL</code>: where browsers reach Fleetward; add <code>PUBLIC_URL/fleet/callback</code> to the app's callback URLs.</li>
</ul>`,
  );
}

export function renderErrorPage(user: LayoutUser | null, message: string): string {
  return layout("Error · Fleetward", user, html`<h1>Fleet status</h1><p role="alert">${message}</p><p><a href="/fleet">Back to the fleet status</a></p>`);
}
