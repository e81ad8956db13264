/** The one error for compressed bytes that do not decode, whichever inflater read them. */
import { InputError } from '../shared/errors.js';

/** The error when a non-zero byte follows zero padding after the last gzip member. */
export const TRAILING_DATA = 'non-zero data after zero padding';

export function corruptData(label: string, format: string, error: unknown): InputError {
  const detail = error instanceof Error ? error.message : String(error);
  return new InputError(`${label}: corrupt ${format} data: ${detail}`, { code: 'E_CORRUPT_COMPRESSED', cause: error });
}
