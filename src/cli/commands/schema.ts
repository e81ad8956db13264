import type { TSchema } from '@sinclair/typebox';
import { UsageError } from '../../shared/errors.js';
import { parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';

const SCHEMAS: Record<string, { describe: string; load: () => Promise<TSchema> }> = {
  report: { describe: 'the report of analyze --format json (and slim)', load: async () => (await import('../../report/schema.js')).Report },
  policy: { describe: 'the policy file of check', load: async () => (await import('../../policy/index.js')).PolicySchema },
  audit: { describe: 'the audit file of slim --audit', load: async () => (await import('../../slim/audit-schema.js')).AuditSchema },
  diff: { describe: 'the change set of diff --format json', load: async () => (await import('../../diff/schema.js')).ImageDiff },
};

const usage = `Usage: imgslim schema [${Object.keys(SCHEMAS).join(' | ')}]

Prints a JSON Schema (draft 7 compatible) generated from the TypeBox schema in the code:
${Object.entries(SCHEMAS)
  .map(([name, s]) => `  ${name.padEnd(8)} ${s.describe}`)
  .join('\n')}
Default: report.
`;

export const schemaCommand: Command = {
  name: 'schema',
  summary: 'Print the JSON Schema of the report, the policy file, the slim audit or the diff',
  usage,
  async run(argv, io) {
    const { positionals } = parseCommandArgs('schema', argv, {});
    if (positionals.length > 1) throw new UsageError('schema: expected at most one schema name');
    const name = positionals[0] ?? 'report';
    const entry = SCHEMAS[name];
    if (!entry) throw new UsageError(`schema: unknown schema '${name}' (one of ${Object.keys(SCHEMAS).join(', ')})`);
    const schema = await entry.load();
    io.stdout.write(`${JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', ...schema }, null, 2)}\n`);
    return 0;
  },
};
