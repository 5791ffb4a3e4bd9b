/** The names of an issue's or pull request's labels as the REST API gives them (objects or plain strings), empty names left out. */
export function labelNames(labels: ReadonlyArray<{ name?: string } | string>): string[] {
  return labels.map((l) => (typeof l === "string" ? l : (l.name ?? ""))).filter((l) => l !== "");
}
