/**
 * JSON from files we did not write: parsed only when its nesting is bounded. JSON.parse itself
 * copes with any depth, but every recursive consumer after it (JSON.stringify, validators,
 * writers) overflows the stack on values nested thousands deep, which no image or report needs.
 */
import { InputError } from './errors.js';

/** Far deeper than any image JSON or report (a config is 4 levels deep, a report about 8). */
export const MAX_JSON_DEPTH = 64;

/** The deepest nesting of arrays and objects in JSON text, stopping once it passes `limit`. */
export function jsonDepth(text: string, limit = Infinity): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === 0x5c) i++; // backslash: skip the escaped character
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) inString = true;
    else if (code === 0x5b || code === 0x7b) {
      if (++depth > deepest) {
        deepest = depth;
        if (deepest > limit) return deepest;
      }
    } else if (code === 0x5d || code === 0x7d) depth--;
  }
  return deepest;
}

/** JSON.parse with the nesting bounded; throws InputError (code `code`) naming `label`. */
export function parseBoundedJson(text: string, label: string, code = 'E_JSON'): unknown {
  if (jsonDepth(text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
    throw new InputError(`${label}: JSON nested more than ${MAX_JSON_DEPTH} levels deep`, { code });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new InputError(`${label}: invalid JSON (${reason})`, { code, cause: error });
  }
}
