/**
 * deb822 control stanzas (dpkg's status file, distroless `status.d/` files): `Field: value`
 * lines, continuation lines starting with a space or tab, stanzas separated by blank lines.
 * Field names are case-insensitive (kept lower-cased here). Linear in the input; malformed
 * lines become diagnostics, never exceptions.
 */

export interface Stanza {
  /** Lower-cased field name → value (continuation lines joined with `\n`, first line trimmed). */
  fields: Map<string, string>;
  /** 1-based line where the stanza starts. */
  line: number;
}

export interface ParsedStanzas {
  stanzas: Stanza[];
  diagnostics: string[];
}

/** Diagnostics kept per file; the count of the rest is reported. */
const MAX_DIAGNOSTICS = 5;

export function parseStanzas(text: string, label: string): ParsedStanzas {
  const stanzas: Stanza[] = [];
  const diagnostics: string[] = [];
  let dropped = 0;
  const complain = (message: string) => {
    if (diagnostics.length < MAX_DIAGNOSTICS) diagnostics.push(`${label}: ${message}`);
    else dropped++;
  };
  let current: Stanza | null = null;
  let lastField: string | null = null;
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!.replace(/\r$/, '');
    if (line.trim() === '') {
      if (current) stanzas.push(current);
      current = null;
      lastField = null;
      continue;
    }
    if (line[0] === ' ' || line[0] === '\t') {
      if (current && lastField) current.fields.set(lastField, `${current.fields.get(lastField)}\n${line.slice(1)}`);
      else complain(`line ${index + 1}: continuation line outside a field`);
      continue;
    }
    if (line[0] === '#') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) {
      complain(`line ${index + 1}: not a "Field: value" line`);
      continue;
    }
    current ??= { fields: new Map(), line: index + 1 };
    lastField = line.slice(0, colon).toLowerCase();
    current.fields.set(lastField, line.slice(colon + 1).trim());
  }
  if (current) stanzas.push(current);
  if (dropped > 0) diagnostics.push(`${label}: ${dropped} more malformed lines`);
  return { stanzas, diagnostics };
}
