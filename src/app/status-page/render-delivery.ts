/** The delivery metrics section of one repository: lead times, time blocked by gates, revert rate. */
import type { DeliveryMetrics, DurationSummary } from "../../promotion/fleet-status/fleet-status-types.js";
import { formatDuration, formatTime } from "./format.js";
import { html, table, type Html } from "./html.js";

const summaryCells = (s: DurationSummary): Html => html`<td>${s.count}</td><td>${formatDuration(s.medianSeconds)}</td><td>${formatDuration(s.p90Seconds)}</td><td>${formatDuration(s.maxSeconds)}</td>`;

export function renderDelivery(d: DeliveryMetrics, repoName: string): Html {
  const lead = d.leadTime.length
    ? table(
        `Lead time from merge to arrival, ${repoName} (since ${formatTime(d.since)})`,
        ["Environment", "Reached", "Changes", "Median", "90th percentile", "Longest"],
        [
          ...d.leadTime.map((l) => html`<tr><th scope="row" rowspan="2">${l.environment}</th><td>first cluster</td>${summaryCells(l.arrival)}</tr>
<tr><td>last wave</td>${summaryCells(l.complete)}</tr>
`),
          html`<tr><th scope="row">whole fleet</th><td>last wave of the last environment</td>${summaryCells(d.fleetComplete)}</tr>
`,
        ],
      )
    : html`<p>No merged promotions since ${formatTime(d.since)}.</p>`;
  const blocked = d.gateBlocked.length
    ? table(
        `Time blocked by gates, ${repoName}`,
        ["Environment", "Gate", "Promotions", "Median", "90th percentile", "Longest", "Total"],
        d.gateBlocked.map((g) => html`<tr><th scope="row">${g.environment}</th><td>${g.gate}</td>${summaryCells(g.summary)}<td>${formatDuration(g.totalSeconds)}</td></tr>
`),
      )
    : "";
  const reverts = d.revertRate.length
    ? table(
        `Revert rate, ${repoName}`,
        ["Environment", "Promotions merged", "Reverts merged", "Reverts per promotion"],
        d.revertRate.map((r) => html`<tr><th scope="row">${r.environment}</th><td>${r.promotions}</td><td>${r.reverts}</td><td>${r.rate === null ? "—" : `${Math.round(r.rate * 100)} %`}</td></tr>
`),
      )
    : "";
  return html`<h3>Delivery</h3>
${lead}${blocked}${reverts}`;
}
