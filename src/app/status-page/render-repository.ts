/**
 * One repository's section of the status page, from the planner's `FleetStatus`: the version matrix (components ×
 * environments/clusters, drift and frozen columns marked in text, not colour alone), open promotions with their
 * gates, waves baking, frozen scopes, the last reverts and the delivery metrics, each linking to GitHub.
 */
import type { FleetStatus, LinkedItem, StatusColumn } from "../../promotion/fleet-status/fleet-status-types.js";
import { formatDuration, formatTime } from "./format.js";
import { html, safeHref, table, type Html } from "./html.js";
import { renderDelivery } from "./render-delivery.js";

const link = (item: LinkedItem): Html => html`<a href="${safeHref(item.url)}">#${item.number} ${item.title}</a>`;
const state = (text: string): Html => html`<span class="badge ${text}">${text}</span>`;
const columnName = (c: StatusColumn): string => (c.cluster ? `${c.environment} / ${c.cluster}` : c.environment);

function matrix(s: FleetStatus, name: string): Html {
  if (s.components.length === 0) return html`<p>No components found.</p>`;
  const head = s.columns.map((c) => html`${columnName(c)}${c.wave ? html` <span class="muted">(wave ${c.wave})</span>` : ""}${c.frozen ? html` <span class="badge frozen">frozen</span>` : ""}`);
  const rows = s.components.map(
    (comp) => html`<tr><th scope="row">${comp.component}</th>${comp.cells.map((cell) => html`<td>${cell.present ? cell.text : html`<span class="muted">${cell.text}</span>`}${cell.drift ? html` <span class="badge drift">drift</span>` : ""}</td>`)}</tr>
`,
  );
  const at = s.repository.headSha ? ` at ${s.repository.defaultBranch} (${s.repository.headSha.slice(0, 7)})` : "";
  return table(`Versions in ${name}${at}`, ["Component", ...head], rows);
}

function drift(s: FleetStatus, name: string): Html | string {
  if (s.drift.length === 0) return "";
  return table(
    `Drift between environments, ${name}`,
    ["Component", "Where", "Version there", "Source", "Version in the source", "Promotion"],
    s.drift.map((d) => html`<tr><th scope="row">${d.component}</th><td>${d.column}</td><td>${d.text}</td><td>${d.source}</td><td>${d.sourceText}</td><td>${d.promotion ? link(d.promotion) : "none open"}</td></tr>
`),
  );
}

function promotions(s: FleetStatus, name: string): Html {
  if (s.promotions.length === 0) return html`<h3>Open promotions</h3><p>None.</p>`;
  return html`<h3>Open promotions</h3>
${table(
    `Open promotion pull requests, ${name}`,
    ["Pull request", "Component", "From → to", "Gates", "Opened"],
    s.promotions.map((p) => html`<tr><th scope="row">${link(p.pr)}</th><td>${p.component}</td><td>${p.source} → ${p.target}</td><td>${p.gates.checkUrl ? html`<a href="${safeHref(p.gates.checkUrl)}">promotion gates</a>` : "promotion gates"}${state(p.gates.state)}${p.gates.gates.length ? html`<ul>${p.gates.gates.map((g) => html`<li>${g.name}${state(g.state)} ${g.detail}</li>`)}</ul>` : ""}</td><td>${formatTime(p.openedAt)}</td></tr>
`),
  )}`;
}

function baking(s: FleetStatus, name: string): Html | string {
  if (s.baking.length === 0) return "";
  return html`<h3>Waves baking</h3>
${table(
    `Waves baking, ${name}`,
    ["Pull request", "Component", "Wave", "State", "Time left"],
    s.baking.map((b) => html`<tr><th scope="row">${link(b.pr)}</th><td>${b.component}</td><td>${b.environment}: ${b.wave}, then ${b.nextWave}</td><td>${state(b.state)} ${b.detail}</td><td>${formatDuration(b.secondsLeft)} (until ${formatTime(b.bakeUntil)})</td></tr>
`),
  )}`;
}

function frozen(s: FleetStatus, name: string): Html | string {
  if (s.frozen.length === 0) return "";
  return html`<h3>Frozen</h3>
${table(
    `Frozen scopes, ${name}`,
    ["Scope", "Incident", "Alerts"],
    s.frozen.map((f) => html`<tr><th scope="row">${f.environment}${f.clusters.length ? `: ${f.clusters.join(", ")}` : " (whole environment)"}</th><td>${link(f.incident)}<br>${f.reason}</td><td>${f.alerts.length ? html`<ul>${f.alerts.map((a) => html`<li>${a.url ? html`<a href="${safeHref(a.url)}">${a.name}</a>` : a.name}${state(a.status)} since ${formatTime(a.startsAt)}${a.summary ? html`: ${a.summary}` : ""}</li>`)}</ul>` : "none recorded"}</td></tr>
`),
  )}`;
}

function reverts(s: FleetStatus, name: string): Html | string {
  if (s.reverts.length === 0) return "";
  return html`<h3>Last reverts</h3>
${table(
    `Last reverts, ${name}`,
    ["Pull request", "State", "Where", "Component", "Reverted", "Opened"],
    s.reverts.map((r) => html`<tr><th scope="row">${link(r.pr)}</th><td>${state(r.state)}</td><td>${r.environment}${r.cluster ? ` / ${r.cluster}` : ""}</td><td>${r.component ?? "—"}</td><td>${r.revertedPr !== null ? `#${r.revertedPr}` : r.revertedSha.slice(0, 7)}</td><td>${formatTime(r.createdAt)}</td></tr>
`),
  )}`;
}

/** The section of one repository; `index` makes its heading's id unique on the page. */
export function renderRepository(s: FleetStatus, index: number): Html {
  const name = `${s.repository.owner}/${s.repository.repo}`;
  const heading = html`<h2 id="repo-${index}"><a href="${safeHref(s.repository.url)}">${name}</a></h2>`;
  if (s.problem !== null) return html`<section aria-labelledby="repo-${index}">${heading}<p>${s.problem}</p></section>`;
  return html`<section aria-labelledby="repo-${index}">
${heading}
${matrix(s, name)}
${drift(s, name)}
${promotions(s, name)}
${baking(s, name)}
${frozen(s, name)}
${reverts(s, name)}
${renderDelivery(s.delivery, name)}
${s.notes.length ? html`<ul class="muted">${s.notes.map((n) => html`<li>${n}</li>`)}</ul>` : ""}
</section>
`;
}
