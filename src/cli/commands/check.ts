import path from 'node:path';
import {
  CHECK_FORMATS,
  DEFAULT_POLICY_FILE,
  evaluatePolicy,
  loadPolicy,
  renderCheckResult,
  renderCheckText,
  RULES,
} from '../../policy/index.js';
import type { Report } from '../../report/index.js';
import { ExitCode, UsageError } from '../../shared/errors.js';
import { colorEnabled, paintTone } from '../../ui/index.js';
import { oneOf, parseCommandArgs } from '../args.js';
import { IMAGE_ARGUMENT_HELP, registryHelp, REGISTRY_OPTIONS } from '../registry-options.js';
import type { Command } from '../command.js';
import { EXIT_CODES_HELP } from '../exit-codes.js';
import type { CliIO } from '../io.js';
import { loadSavedReport } from '../saved-report.js';
import type { ImageArgs } from '../analyze-image.js';
import { checkOutputPaths } from '../output-paths.js';
import { writeFileAtomic } from '../write-output.js';
import { presentReport, wantsTui } from '../../ui/index.js';

const ruleHelp = RULES.map((rule) => `  ${rule.name.padEnd(28)}${rule.kind === 'flag' ? '' : `= ${rule.valueSyntax}`}\n      ${rule.title}`).join('\n');

const usage = `Usage: imgslim check IMAGE [options]
       imgslim check --report REPORT.json [options]

Gates an image on a policy for CI: every rule is checked against the analysis of the image
(or a saved 'analyze --format json' report) and the exit code says whether it passed.
${IMAGE_ARGUMENT_HELP}

Options:
  --policy FILE         policy file, YAML or JSON (default: ./${DEFAULT_POLICY_FILE} when present;
                        'imgslim schema policy' prints its JSON Schema)
  --rule NAME[=VALUE]   set a rule, overriding the policy file (repeatable): --rule entrypoint-static,
                        --rule libc=musl,none, --rule max-size=50MB, --rule require-pie=off
  --dive-ci FILE        apply dive's CI rules from its .dive-ci file (dive's defaults for missing keys)
  -f, --format FORMAT   text, json, sarif, junit or github (workflow-command annotations); default
                        text, or on a terminal the terminal UI with the results first
  --tui / --no-tui      force / never show the terminal UI
  -o, --output FILE     write the results to FILE; the text summary still goes to stdout
  --report FILE         gate a saved JSON report instead of reading an image
  --image SELECTOR      pick one image of several: name:tag, @N, or an OCI ref.name
  --platform OS/ARCH    pick a platform of a multi-platform index
${registryHelp(24)}
  -q, --quiet           no progress on stderr
  --debug               stack traces on errors

With no policy file, --rule or --dive-ci, the default policy is: no-missing-deps.

Rules (severity error fails the gate, warning only reports; see docs/ci.md for the policy file):
${ruleHelp}

${EXIT_CODES_HELP}
`;

export const checkCommand: Command = {
  name: 'check',
  summary: 'Gate an image (or a saved report) on a policy: exit 1 when a rule fails',
  usage,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs('check', argv, {
      policy: { type: 'string' },
      rule: { type: 'string', multiple: true },
      'dive-ci': { type: 'string' },
      format: { type: 'string', short: 'f' },
      output: { type: 'string', short: 'o' },
      report: { type: 'string' },
      image: { type: 'string' },
      platform: { type: 'string' },
      ...REGISTRY_OPTIONS,
      quiet: { type: 'boolean', short: 'q' },
      tui: { type: 'boolean' },
      'no-tui': { type: 'boolean' },
    });
    const format = oneOf('check', 'format', values.format, CHECK_FORMATS, 'text');
    const tui = values.tui ? true : values['no-tui'] ? false : undefined;
    if (values.report !== undefined && positionals.length > 0) throw new UsageError('check: give either IMAGE or --report FILE, not both');
    for (const option of ['image', 'platform'] as const) {
      if (values.report !== undefined && values[option] !== undefined) throw new UsageError(`check: --${option} selects an image to read; a --report has none`);
    }
    if (values.report === undefined && positionals.length !== 1) {
      throw new UsageError(`check: expected one IMAGE (or --report FILE), got ${positionals.length} (see 'imgslim check --help')`);
    }
    if (values.output !== undefined) {
      const inputs = [values.report ?? positionals[0]!, values.policy, values['dive-ci']].flatMap((file) => (file === undefined || file === '-' ? [] : [{ option: 'input', path: path.resolve(io.cwd, file), shown: file }]));
      checkOutputPaths('check', [{ option: '-o', path: path.resolve(io.cwd, values.output), shown: values.output }], inputs);
    }
    // The policy is validated before the image is read: a typo fails in milliseconds.
    const { policy, isDefault } = await loadPolicy({
      cwd: io.cwd,
      policyFile: values.policy,
      diveCiFile: values['dive-ci'],
      rules: values.rule,
    });
    if (isDefault && !values.quiet) {
      io.stderr.write(`imgslim check: no ${DEFAULT_POLICY_FILE}, --policy, --rule or --dive-ci: using the default policy (no-missing-deps)\n`);
    }
    const report = values.report !== undefined ? await loadSavedReport(values.report, io) : await analyze(positionals[0]!, values, io);
    const result = evaluatePolicy(report, policy);
    // On a terminal (no --format, no --output) the results open first in the terminal UI; the exit code is the same.
    if (values.output === undefined && wantsTui(io, { tui, format: values.format === undefined ? undefined : 'text' })) {
      await presentReport(report, io, { tui, check: result });
      return result.passed ? ExitCode.ok : ExitCode.policyFailed;
    }
    const rendered = renderCheckResult(result, format);
    // The text on stdout is coloured as analyze's is (same decision: terminal, NO_COLOR, FORCE_COLOR); files never are.
    const onScreen = renderCheckText(result, colorEnabled(io.env, io.stdout) ? { paint: paintTone } : {});
    if (values.output !== undefined) {
      await writeFileAtomic(path.resolve(io.cwd, values.output), rendered);
      io.stdout.write(format === 'text' ? onScreen : `${onScreen}${format} results written to ${values.output}\n`);
    } else {
      io.stdout.write(format === 'text' ? onScreen : rendered);
    }
    return result.passed ? ExitCode.ok : ExitCode.policyFailed;
  },
};

/** Loaded on demand: gating a saved report never pays for the image pipeline or the UI. */
async function analyze(image: string, values: ImageArgs, io: CliIO): Promise<Report> {
  return (await import('../analyze-image.js')).analyzeImageArg(image, values, io);
}
