import { renderDisabledPage, renderFleetPage, renderSignInPage } from "../../../src/app/status-page/render-pages.js";
import { CONTENT_SECURITY_POLICY } from "../../../src/app/status-page/page-layout.js";
import { escapeHtml, html, safeHref } from "../../../src/app/status-page/html.js";
import { formatDuration } from "../../../src/app/status-page/format.js";
import { createHash } from "node:crypto";
import { fleetStatus } from "./fleet-status-fixture.js";

const user = { login: "alice", csrfToken: "tok" };
const now = new Date("2026-01-01T12:00:00Z");
const entry = (status = fleetStatus()) => ({ owner: status.repository.owner, name: status.repository.repo, url: status.repository.url, status });

test("html escapes every interpolated text, inserts Html as it is, and drops non-http links", () => {
  expect(escapeHtml(`<a href="x" onclick='y'>&`)).toBe("&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;");
  expect(html`<td>${"<b>"}</td>${html`<i>${1}</i>`}${[html`<br>`, "&"]}${null}${false}`.text).toBe("<td>&lt;b&gt;</td><i>1</i><br>&amp;");
  expect(safeHref("javascript:alert(1)")).toBe("#");
  expect(safeHref("https://github.com/a/b/pull/1")).toBe("https://github.com/a/b/pull/1");
  expect(safeHref(null)).toBe("#");
});

test("a component, title or alert named like markup renders as text, never as an element", () => {
  const hostile = "<script>alert(1)</script>";
  const base = fleetStatus();
  const status = fleetStatus({
    components: [{ ...base.components[0]!, component: hostile }],
    promotions: [{ ...base.promotions[0]!, pr: { number: 7, url: "javascript:alert(1)", title: `"><img src=x onerror=alert(1)>` } }],
    frozen: [{ ...base.frozen[0]!, alerts: [{ ...base.frozen[0]!.alerts[0]!, summary: "<iframe src=//evil>" }] }],
  });
  const page = renderFleetPage(user, [entry(status)], now);
  expect(page).not.toContain("<script>");
  expect(page).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  expect(page).not.toContain("<img");
  expect(page).not.toContain("<iframe");
  expect(page).not.toContain('href="javascript:');
});

test("the matrix has a caption, column and row headers, the versions, and drift and frozen marked in words", () => {
  const page = renderFleetPage(user, [entry()], now);
  expect(page).toContain("<caption>Versions in acme/gitops at main (0123456)</caption>");
  expect(page).toMatch(/<th scope="col">prod \/ prod-eu-1 <span class="muted">\(wave canary\)<\/span> <span class="badge frozen">frozen<\/span><\/th>/);
  expect(page).toContain('<tr><th scope="row">api</th><td>1.2.0</td><td>1.1.0 <span class="badge drift">drift</span></td>');
  expect(page).toContain('<a href="https://github.com/acme/gitops/pull/7">#7 Promote api from dev to prod</a>');
  expect(page).toContain('<a href="https://github.com/acme/gitops/runs/99">promotion gates</a>');
  expect(page).toContain('<a href="https://github.com/acme/gitops/issues/9">#9 SLO burn on prod-eu-1</a>');
  expect(page).toContain("5xx above 2 %");
  // The sign-out form carries the CSRF token.
  expect(page).toContain('<input type="hidden" name="csrf" value="tok">');
});

test("the page's one style block is the one the Content-Security-Policy allows by hash; no script is allowed", () => {
  const page = renderSignInPage();
  const style = /<style>([\s\S]*?)<\/style>/.exec(page)?.[1] ?? "";
  const hash = createHash("sha256").update(style).digest("base64");
  expect(CONTENT_SECURITY_POLICY).toContain(`style-src 'sha256-${hash}'`);
  expect(CONTENT_SECURITY_POLICY).toContain("default-src 'none'");
  expect(CONTENT_SECURITY_POLICY).not.toContain("script-src");
  expect(page).not.toContain("<script");
  expect(page).toContain('<a class="skip" href="#main">Skip to content</a>');
});

test("a repository whose status could not be planned shows why; a repository that failed shows an error", () => {
  const problem = renderFleetPage(user, [entry(fleetStatus({ problem: "no valid .github/fleetward.yml" }))], now);
  expect(problem).toContain("no valid .github/fleetward.yml");
  const failed = renderFleetPage(user, [{ owner: "acme", name: "x", url: "https://github.com/acme/x", error: "GitHub could not be read" }], now);
  expect(failed).toContain("Could not read its status: GitHub could not be read");
  expect(renderFleetPage(user, [], now)).toContain("not installed on any repository you can read");
});

test("the page when off names what is missing and how to turn it on", () => {
  const page = renderDisabledPage(["GITHUB_CLIENT_ID is not set"]);
  expect(page).toContain("GITHUB_CLIENT_ID is not set");
  expect(page).toContain("SESSION_SECRET");
  expect(page).toContain("PUBLIC_URL/fleet/callback");
});

test("durations read as people say them", () => {
  expect([formatDuration(null), formatDuration(30), formatDuration(45 * 60), formatDuration(2 * 3600 + 5 * 60), formatDuration(3 * 86400)]).toEqual(["—", "30 s", "45 min", "2 h 5 min", "3 d"]);
});
