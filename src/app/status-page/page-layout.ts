/**
 * The frame of every status page answer: one inline style block (allowed by its hash in the Content-Security-Policy;
 * no script at all), a skip link, the header with the signed-in user and the sign-out form, and `<main>`.
 */
import { createHash } from "node:crypto";
import { Html, html } from "./html.js";

const STYLE = `
:root { color-scheme: light; }
body { font: 16px/1.5 system-ui, sans-serif; color: #1f2328; background: #fff; margin: 0; }
header, main, footer { padding: 0 1.5rem; }
header { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; justify-content: space-between; border-bottom: 1px solid #d0d7de; }
a { color: #0550ae; }
a:focus-visible, button:focus-visible, summary:focus-visible { outline: 3px solid #0550ae; outline-offset: 2px; border-radius: 2px; }
.skip { position: absolute; left: -10000px; top: 0; background: #fff; padding: .5rem; }
.skip:focus { left: 1rem; }
table { border-collapse: collapse; margin: .5rem 0 1.5rem; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { border: 1px solid #d0d7de; padding: .3rem .6rem; text-align: left; vertical-align: top; }
thead th { background: #f6f8fa; }
.badge { display: inline-block; font-size: .8rem; font-weight: 600; padding: 0 .4rem; border-radius: 1rem; border: 1px solid currentColor; margin-left: .3rem; }
.drift { color: #9a3700; }
.frozen { color: #0a3069; background: #ddf4ff; }
.fail { color: #a40e26; }
.pass { color: #116329; }
.pending, .unknown, .baking { color: #6e4500; }
.muted { color: #57606a; }
button { font: inherit; padding: .2rem .8rem; color: #1f2328; background: #f6f8fa; border: 1px solid #8c959f; border-radius: 6px; cursor: pointer; }
`;

/** The Content-Security-Policy of every page: no script, the one style block by its hash, forms to the app only. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `style-src 'sha256-${createHash("sha256").update(STYLE).digest("base64")}'`,
  "img-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join("; ");

/** The headers every status page answer carries. */
export const PAGE_HEADERS: Record<string, string> = {
  "content-type": "text/html; charset=utf-8",
  "content-security-policy": CONTENT_SECURITY_POLICY,
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cache-control": "no-store",
};

export interface LayoutUser {
  login: string;
  csrfToken: string;
}

export function layout(title: string, user: LayoutUser | null, body: Html): string {
  const signOut = user
    ? html`<form method="post" action="/fleet/logout"><p>Signed in as <strong>${user.login}</strong>
<input type="hidden" name="csrf" value="${user.csrfToken}"> <button type="submit">Sign out</button></p></form>`
    : "";
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${new Html(STYLE)}</style>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header><p><strong>Fleetward</strong> fleet status</p>${signOut}</header>
<main id="main" tabindex="-1">
${body}
</main>
</body>
</html>
`.text;
}
