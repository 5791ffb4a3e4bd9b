/** Splits YAML text into document chunks at lines starting with `---` (the marker line opens the next chunk). */
export function splitDocuments(text: string): { line: number; text: string }[] {
  const chunks: { line: number; text: string }[] = [];
  const lines = text.split("\n");
  let start = 0;
  for (let i = 1; i <= lines.length; i++) {
    if (i === lines.length || /^---(?:[ \t\r]|$)/.test(lines[i] ?? "")) {
      chunks.push({ line: start + 1, text: lines.slice(start, i).join("\n") });
      start = i;
    }
  }
  return chunks;
}
