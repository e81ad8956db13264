export { analyzeImage, inspectImage, inspectOpenImage, type AnalyzeOptions, type ImageAnalysis } from './analyze.js';
export { mapConcurrent } from './map-concurrent.js';
export type { EntryPayload } from './capture.js';
export { ImageFs } from './image-fs.js';
export { findProgram, resolveEntrypoint, DEFAULT_PATH, type EntrypointPlan, type ElfProblems } from './entrypoint.js';
export { envMap } from './config-summary.js';
export { withLayerTask, type LayerScan } from './scan-layer.js';
export { defaultScanWorkers } from './scan-layers.js';
export { hasName, runsAsRoot } from './user.js';
