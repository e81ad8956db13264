import { UsageError } from '../errors.js';

/** A glob that cannot be compiled: the message names the glob and what is wrong with it. */
export class GlobSyntaxError extends UsageError {
  override name = 'GlobSyntaxError';
  constructor(glob: string, problem: string) {
    super(`${problem} in path glob '${glob}'`, { code: 'E_GLOB' });
  }
}
