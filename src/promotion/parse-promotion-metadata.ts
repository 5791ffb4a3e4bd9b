import type { PromotionHopRecord, PromotionMetadata } from "./promotion-metadata.js";
import { METADATA_MARKER } from "./promotion-metadata.js";

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

const prOf = (v: unknown): number | null | undefined => (v === null ? null : typeof v === "number" && Number.isInteger(v) && v > 0 ? v : undefined);

function hopOf(v: unknown): PromotionHopRecord | null {
  if (!isRecord(v)) return null;
  const pr = prOf(v.pr);
  if (typeof v.from !== "string" || typeof v.to !== "string" || typeof v.sha !== "string" || pr === undefined) return null;
  return { from: v.from, to: v.to, pr, sha: v.sha };
}

/**
 * The metadata of a pull request body, or null when there is none or it is malformed (edited by hand,
 * truncated, wrong types). Never throws. With several metadata comments, the last one wins (a body the app
 * rewrote after a user pasted an old one keeps the app's at the end).
 */
export function parsePromotionMetadata(body: string | null | undefined): PromotionMetadata | null {
  if (typeof body !== "string") return null;
  const re = new RegExp(`<!--\\s*${METADATA_MARKER}\\s+([\\s\\S]*?)\\s*-->`, "g");
  let found: PromotionMetadata | null = null;
  for (const m of body.matchAll(re)) {
    let v: unknown;
    try {
      v = JSON.parse(m[1] ?? "");
    } catch {
      continue;
    }
    if (!isRecord(v) || v.version !== 1) continue;
    const { component, source, target, fingerprint, origin, chain } = v;
    if (typeof component !== "string" || typeof source !== "string" || typeof target !== "string" || typeof fingerprint !== "string") continue;
    if (!isRecord(origin) || typeof origin.sha !== "string") continue;
    const originPr = prOf(origin.pr);
    const author = origin.author === null || typeof origin.author === "string" ? origin.author : undefined;
    if (originPr === undefined || author === undefined) continue;
    if (!Array.isArray(chain)) continue;
    const hops = chain.map(hopOf);
    if (hops.some((h) => h === null)) continue;
    found = {
      version: 1,
      component,
      source,
      target,
      fingerprint,
      origin: { pr: originPr, sha: origin.sha, author },
      chain: hops.filter((h): h is PromotionHopRecord => h !== null),
    };
  }
  return found;
}
