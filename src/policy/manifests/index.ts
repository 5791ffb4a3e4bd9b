export * from "./manifest-types.js";
export { LineIndex } from "./line-index.js";
export { parseFieldPath, formatFieldPath } from "./field-path.js";
export { measureExpandedSize, type ExpandedSize } from "./measure-expanded-size.js";
export { buildPositionIndex, documentStartOffsets, pathKey } from "./yaml-position-index.js";
export { loadManifestFile } from "./load-manifest-file.js";
export { splitDocuments } from "./split-documents.js";
export { loadManifests, type LoadManifestsOptions, type LoadManifestsResult } from "./load-manifests.js";
export { createFileFilter, DEFAULT_MANIFEST_INCLUDE, type FileFilterOptions } from "./create-file-filter.js";
