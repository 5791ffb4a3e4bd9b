/**
 * Gatekeeper's namespace/name glob: `kube-*` is a prefix, `*-system` a suffix, `*mid*` a substring; anything else must
 * be equal. Only a leading and/or trailing `*` is special.
 */
export function wildcardMatches(pattern: string, candidate: string): boolean {
  const lead = pattern.startsWith("*");
  const trail = pattern.endsWith("*");
  if (lead && trail) return candidate.includes(pattern.slice(1, Math.max(1, pattern.length - 1)));
  if (lead) return candidate.endsWith(pattern.slice(1));
  if (trail) return candidate.startsWith(pattern.slice(0, -1));
  return pattern === candidate;
}
