/** Argument parsing for subcommands on top of node:util parseArgs, with usage errors that name the option. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../shared/errors.js';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export interface ParsedArgs<O extends OptionSpec> {
  values: { [K in keyof O]?: O[K] extends { type: 'boolean' } ? (O[K] extends { multiple: true } ? boolean[] : boolean) : O[K] extends { multiple: true } ? string[] : string };
  positionals: string[];
}

export function parseCommandArgs<O extends OptionSpec>(command: string, argv: string[], options: O): ParsedArgs<O> {
  try {
    const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    return { values: values as ParsedArgs<O>['values'], positionals };
  } catch (error) {
    const message = (error as Error).message.split('\n')[0] ?? String(error);
    throw new UsageError(`${command}: ${message.replace(/\. To specify a positional argument.*$/, '')} (see 'imgslim ${command} --help')`, {
      cause: error,
    });
  }
}

/** Checks an option value against the allowed ones. */
export function oneOf<T extends string>(command: string, option: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${command}: --${option} must be one of ${allowed.join(', ')} (got '${value}')`);
}
