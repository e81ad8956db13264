/**
 * slim: from an analysed image, the set of files its entrypoint needs (each with its reasons),
 * written as a one-layer FROM-scratch image, with an audit of every file kept or dropped.
 */
export { slimAnalysis, slimImage, slimReport, createdTime, type SlimOptions } from './slim.js';
export { planKeep, effectiveEntrypoint } from './plan.js';
export { checkOutput } from './output-checks.js';
export { outputFormat } from './output-target.js';
export { layoutLayer, type Layout } from './layout.js';
export { buildAudit } from './audit.js';
export { AUDIT_VERSION } from './audit-version.js';
export type { Audit, AuditFile, AuditProbe } from './audit-schema.js';
export { checkKeepPatterns } from './plan-keep.js';
export { shellCommands, shellWords, type ShellCommands } from './shell-words.js';
export { parseNsswitch } from './plan-nss.js';
export { CA_BUNDLES } from './plan-tls.js';
export type { ExtraPath, KeepPlan, PlanOptions, Replacement, Risk, SlimCompression, SlimOutput, SlimResult } from './types.js';
