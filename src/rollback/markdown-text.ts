/** Untrusted text (alert labels, annotations) made safe for one line of Markdown: no HTML, no table breaks. */
export function markdownText(text: string, max = 300): string {
  const oneLine = text.replace(/[\r\n\t]+/g, " ").trim();
  const cut = oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
  return cut
    .replace(/([\\`*_[\]])/g, "\\$1")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/\|/g, "\\|")
    .replace(/@/g, "@\u200b");
}

/** A Markdown link for an http(s) URL; other schemes (javascript:, data:) are shown as text, never linked. */
export function markdownLink(label: string, url: string | null | undefined): string | null {
  if (!url) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return null;
  return `[${markdownText(label)}](${parsed.href.replace(/\)/g, "%29").replace(/ /g, "%20")})`;
}
