/**
 * HTML built from templates that escape every interpolated value: repository content (component names, titles,
 * alert summaries) is untrusted, and only `Html` values made by `html` itself are inserted as markup.
 */

export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text made safe for element content and quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

type Part = Html | string | number | null | undefined | false | readonly Part[];

function insert(part: Part): string {
  if (part === null || part === undefined || part === false) return "";
  if (part instanceof Html) return part.text;
  if (Array.isArray(part)) return part.map(insert).join("");
  return escapeHtml(String(part));
}

/** `html\`<td>${name}</td>\``: strings and numbers are escaped, `Html` and arrays of it inserted as they are. */
export function html(strings: TemplateStringsArray, ...parts: Part[]): Html {
  let out = strings[0] ?? "";
  parts.forEach((part, i) => {
    out += insert(part) + (strings[i + 1] ?? "");
  });
  return new Html(out);
}

/** A link URL only when it is http(s): `javascript:` and other schemes from untrusted data become `#`. */
export function safeHref(url: string | null | undefined): string {
  if (!url) return "#";
  try {
    const parsed = new URL(url);
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.toString() : "#";
  } catch {
    return "#";
  }
}

/** A table with a caption, column headers and rows (each row starts with its `<th scope="row">`). */
export const table = (caption: string, headers: (string | Html)[], rows: Html[]): Html => html`<table>
<caption>${caption}</caption>
<thead><tr>${headers.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead>
<tbody>
${rows}</tbody>
</table>`;
