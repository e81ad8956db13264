/**
 * The final filesystem of an image, exactly as a container runtime builds it from the
 * layers, per-layer change statistics, and dive-compatible efficiency. Pure logic over entry
 * lists: the analysis streams each layer once, turns headers into entries with
 * layerEntryFromTar, and hands the lists here.
 */
export { layerEntryFromTar } from './tar-entry.js';
export { normalizeEntryPath, compareBytewise, PATH_MAX, NAME_MAX } from './paths.js';
export { classifyWhiteout, type WhiteoutKind } from './whiteout.js';
export { mergeLayers } from './merge.js';
export { computeEfficiency, type EfficiencyOptions } from './efficiency.js';
export { resolvePath, listDirectory, MAX_SYMLINK_HOPS } from './resolve.js';
export type {
  DiveEfficiency,
  EntryType,
  FinalEntry,
  FsTotals,
  LayerEntries,
  LayerEntry,
  LayerStats,
  MergedFilesystem,
  PathRedirect,
  ResolvedPath,
} from './types.js';
export { ENTRY_TYPES, LAYER_CHANGE_KINDS, type LayerChange, type LayerFiles } from './types.js';
