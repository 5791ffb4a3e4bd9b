import type { PromotionMetadata } from "./promotion-metadata.js";
import { METADATA_MARKER } from "./promotion-metadata.js";

/** The HTML comment carrying the metadata; `--` is escaped so no value can end the comment early. */
export function formatPromotionMetadata(meta: PromotionMetadata): string {
  const json = JSON.stringify(meta).replace(/--/g, "-\\u002d").replace(/>/g, "\\u003e");
  return `<!-- ${METADATA_MARKER} ${json} -->`;
}
