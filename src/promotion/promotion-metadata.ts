/** The hidden metadata of a promotion pull request: what moves where, and the chain of hops back to the origin. */
export interface PromotionHopRecord {
  /** Source scope of the hop, e.g. `staging`. */
  from: string;
  to: string;
  /** The merged pull request the hop promoted (null for a push without one). */
  pr: number | null;
  sha: string;
}

export interface PromotionMetadata {
  version: 1;
  component: string;
  source: string;
  target: string;
  /** The original change: first pull request and author of the chain. */
  origin: { pr: number | null; sha: string; author: string | null };
  /** Hops so far, oldest first, ending with this one. */
  chain: PromotionHopRecord[];
  /** A fingerprint of the planned file changes: equal fingerprints mean the same content. */
  fingerprint: string;
}

export const METADATA_MARKER = "fleetward:promotion";
