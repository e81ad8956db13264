/**
 * The keep plan: from an analysed image and the options, every path the slimmed image keeps with
 * its reasons, the entries it writes differently, and the risks. Pure: no I/O.
 */
import { resolveEntrypoint, type EntrypointPlan, type ImageAnalysis } from '../analysis/index.js';
import type { ImageConfigSummary } from '../report/index.js';
import { UsageError } from '../shared/errors.js';
import { dlopenRisks, keepClosures, keepDlopenNotes, keepGlibcUnwinder } from './plan-closure.js';
import { keepAccounts } from './plan-accounts.js';
import { besideProgramRisks, keepApplicationDirectories } from './plan-application.js';
import { keepEntrypoint, volumeRisks } from './plan-entrypoint.js';
import { keepLibcExtras } from './plan-libc.js';
import { keepExtraPaths } from './plan-extra.js';
import { keepPatterns } from './plan-keep.js';
import { keepNameServices } from './plan-nss.js';
import { keepRuntimes, RuntimesDone } from './plan-runtimes.js';
import { keepShell, keepScriptInterpreters, keepShellScriptPrograms, type InterpretedScript } from './plan-shell.js';
import { keepPackageFiles, keepPluginDirectories } from './plan-packages.js';
import { keepConfigReferences } from './plan-config.js';
import { keepCompiledReferences } from './plan-compiled.js';
import { startProblems as findStartProblems } from './plan-startable.js';
import { keepSystemFiles } from './plan-system.js';
import { keepCertificates } from './plan-tls.js';
import { Planner } from './planner.js';
import type { KeepPlan, PlanOptions } from './types.js';

export function planKeep(analysis: ImageAnalysis, options: PlanOptions = {}): KeepPlan {
  const { config, entrypoint } = effectiveEntrypoint(analysis, options.entrypoint);
  const keep = options.keep ?? [];
  if ((entrypoint?.entrypoint.argv.length ?? 0) === 0 && keep.length === 0 && (options.extraPaths?.length ?? 0) === 0) {
    throw new UsageError('slim: the image has no Entrypoint and no Cmd, so nothing would run: give --entrypoint or --keep', {
      code: 'E_NOTHING_TO_RUN',
    });
  }
  const p = new Planner(analysis, config, entrypoint, keep, options.narrowToProbes ? (options.extraPaths ?? []) : null);
  keepEntrypoint(p);
  keepPatterns(p, keep);
  keepExtraPaths(p, options.extraPaths ?? []);
  keepApplicationDirectories(p);
  keepPackageFiles(p);
  keepConfigReferences(p);
  const scripts = new Set<string>();
  const shellScripts = new Set<string>();
  const runtimes = new RuntimesDone();
  keepScripts(p, scripts, shellScripts, runtimes);
  keepClosures(p);
  keepShell(p);
  const compiled = new Set<string>();
  keepCompiledReferences(p, compiled);
  keepPluginDirectories(p);
  keepConfigReferences(p);
  keepClosures(p);
  keepScripts(p, scripts, shellScripts, runtimes);
  keepClosures(p);
  keepDlopenNotes(p);
  keepGlibcUnwinder(p);
  keepNameServices(p);
  keepLibcExtras(p);
  keepClosures(p);
  keepCompiledReferences(p, compiled);
  keepAccounts(p);
  keepCertificates(p);
  keepSystemFiles(p);
  keepClosures(p);
  dlopenRisks(p);
  volumeRisks(p);
  besideProgramRisks(p);
  for (const risk of p.narrowing?.risks((path) => p.keep.reasons.has(path)) ?? []) p.risk(risk.path, risk.message);
  configRisks(p, analysis);
  p.keep.addParents();
  const startProblems = findStartProblems(p);
  return {
    kept: p.keep.reasons,
    replacements: p.replacements,
    risks: p.risks,
    entrypoint: config.entrypoint,
    cmd: config.cmd,
    resolved: entrypoint?.entrypoint ?? null,
    startProblems,
  };
}

/**
 * The interpreters of kept scripts and the programs kept shell scripts run by name, until no new
 * script appears; then the runtimes of the interpreters.
 */
function keepScripts(p: Planner, scripts: Set<string>, shellScripts: Set<string>, runtimes: RuntimesDone): void {
  const interpreted: InterpretedScript[] = [];
  for (;;) {
    const found = keepScriptInterpreters(p, scripts);
    interpreted.push(...found);
    if (keepShellScriptPrograms(p, found, shellScripts) === 0) break;
  }
  keepRuntimes(p, interpreted, runtimes);
}

/** The config and entrypoint plan the slimmed image runs: `--entrypoint` replaces Entrypoint and clears Cmd. */
export function effectiveEntrypoint(
  analysis: ImageAnalysis,
  override: readonly string[] | undefined,
): { config: ImageConfigSummary; entrypoint: EntrypointPlan | null } {
  const config = analysis.report.config;
  if (!override) return { config, entrypoint: analysis.entrypoint };
  if (override.length === 0 || override[0] === '') throw new UsageError('slim: --entrypoint needs a program', { code: 'E_ENTRYPOINT' });
  const replaced: ImageConfigSummary = { ...config, entrypoint: [...override], cmd: null };
  const problems = new Map(analysis.binaries.binaries.map((binary) => [binary.path, binary.problems]));
  return { config: replaced, entrypoint: resolveEntrypoint(replaced, analysis.fs, (path) => problems.get(path) ?? null) };
}

function configRisks(p: Planner, analysis: ImageAnalysis): void {
  const healthcheck = analysis.image.config.config?.Healthcheck;
  if (healthcheck?.Test && healthcheck.Test[0] !== 'NONE') {
    p.risk(null, `the config's Healthcheck (${healthcheck.Test.slice(1).join(' ')}) is not carried over: its programs are not part of the entrypoint's needs`);
  }
}
