/**
 * What a perl source file loads at compile or run time, read from its text as perl would reach it:
 * `use X` / `no X` / `require X` (barewords), `use parent`/`use base` (their class lists, unless
 * `-norequire`), `use if COND, X`, `require "X/Y.pm"` and `do "file.pl"` with literal names
 * (resolved against @INC), and an interpolated name (`require "File/Spec/$os.pm"`) as a file
 * pattern. A load whose name is only known at run time (`require $class`, `eval "use $x"`) is
 * returned as dynamic: the caller decides how conservative to be. POD blocks and everything after
 * `__END__`/`__DATA__` are skipped. Lines are fed as they stream by (no whole-file buffer).
 * Perl also loads modules no statement names (perlvar, PerlIO, charnames): `%!` loads Errno, an
 * `:encoding(…)`/`:via(…)` layer loads PerlIO and its layer module, `\N{NAME}` loads _charnames.
 */

export interface PerlLoads {
  /** Module names: `List::Util`. */
  modules: string[];
  /** @INC-relative files named literally: `Config_heavy.pl`, `File/Spec/Unix.pm`. */
  files: string[];
  /** @INC-relative file patterns from interpolated names, `*` for each interpolation: `File/Spec/*.pm`. */
  patterns: string[];
  /** The statements (trimmed, first 120 characters) that load a name known only at run time. */
  dynamic: string[];
}

const MODULE = /^[A-Za-z_]\w*(?:::\w+)*$/;
/** Pragmas whose arguments name the modules they load. */
const LIST_PRAGMAS = new Set(['parent', 'base', 'if']);
/** Longest line kept while waiting for its end (longer lines are code no loader statement spans). */
const MAX_LINE = 64 * 1024;
/** Lines a `use parent qw(...)` may span. */
const MAX_STATEMENT_LINES = 30;
/** A load keyword where a statement can begin (not `->require`, `$require`, `&require`, `sub require`, `{require}`). */
const LOAD = /(?<![\w$@%&>:{-]|sub\s+)\b(use|no|require|do)\b(?!\s*=>)\s*(\(?)\s*(.*)$/;
/** Whether a line may hold a load at all: most lines have no load keyword, and LOAD's look-behind costs. */
const MAY_LOAD = /\b(?:use|no|require|do)\b/;
/** Whether a line may hold code that IMPLICIT looks for (the rarer bytes each of them needs). */
const MAY_LOAD_IMPLICITLY = /[!:]|\\N/;

/** Code that makes perl load a module by itself, measured with %INC on perl 5.36. */
const IMPLICIT: Array<{ code: RegExp; modules: string[] }> = [
  { code: /%!|\$!\{/, modules: ['Errno'] },
  { code: /:encoding\(/, modules: ['PerlIO', 'PerlIO::encoding'] },
  { code: /:via\(/, modules: ['PerlIO', 'PerlIO::via'] },
  { code: /\\N\{(?!U\+)[A-Za-z]/, modules: ['_charnames'] },
];

export class PerlSourceScanner {
  private readonly modules = new Set<string>();
  private readonly files = new Set<string>();
  private readonly patterns = new Set<string>();
  private readonly dynamic: string[] = [];
  private partial = '';
  private inPod = false;
  private ended = false;
  /** A pragma statement (`use parent qw(`) waiting for its `;`. */
  private statement: { text: string; lines: number } | null = null;

  /** Feeds the next piece of the text (any split; lines are joined across pieces). */
  push(text: string): void {
    if (this.ended) return;
    const lines = (this.partial + text).split('\n');
    this.partial = lines.pop() ?? '';
    if (this.partial.length > MAX_LINE) this.partial = '';
    for (const line of lines) {
      this.line(line);
      if (this.ended) return;
    }
  }

  finish(): PerlLoads {
    if (!this.ended && this.partial) this.line(this.partial);
    this.partial = '';
    if (this.statement) this.pragma(this.statement.text);
    this.statement = null;
    const sorted = (set: Set<string>) => [...set].sort();
    return { modules: sorted(this.modules), files: sorted(this.files), patterns: sorted(this.patterns), dynamic: this.dynamic };
  }

  private line(raw: string): void {
    const line = raw.replace(/\r$/, '');
    if (this.inPod) {
      if (/^=cut\b/.test(line)) this.inPod = false;
      return;
    }
    if (/^=[A-Za-z]/.test(line)) {
      this.inPod = true;
      return;
    }
    if (/^__(END|DATA)__\b/.test(line)) {
      this.ended = true;
      return;
    }
    if (this.statement) {
      this.statement.text += ` ${line}`;
      this.statement.lines++;
      if (line.includes(';') || this.statement.lines >= MAX_STATEMENT_LINES) {
        this.pragma(this.statement.text);
        this.statement = null;
      }
      return;
    }
    const code = line.replace(/^\s*#.*$/, '');
    if (MAY_LOAD_IMPLICITLY.test(code)) {
      for (const implicit of IMPLICIT) if (implicit.code.test(code)) for (const module of implicit.modules) this.modules.add(module);
    }
    // Each `;`-separated piece may hold one load: `use strict; use warnings;`.
    if (MAY_LOAD.test(code)) for (const piece of code.split(';')) this.piece(piece, code);
  }

  private piece(piece: string, line: string): void {
    const match = LOAD.exec(piece);
    if (!match || inMessageString(piece.slice(0, match.index))) return;
    const [, keyword, , rest = ''] = match;
    const word = /^[A-Za-z_][\w:]*/.exec(rest)?.[0];
    if (keyword === 'use' || keyword === 'no') {
      // `use v5.36` and `use 5.010` load nothing.
      if (!word || !MODULE.test(word) || /^v\d/.test(word)) {
        if (/^\$/.test(rest)) this.addDynamic(line);
        return;
      }
      if (LIST_PRAGMAS.has(word)) {
        this.modules.add(word);
        if (line.includes(';') || /\)\s*$/.test(rest)) this.pragma(`use ${rest}`);
        else this.statement = { text: `use ${rest}`, lines: 1 };
        return;
      }
      this.modules.add(word);
      return;
    }
    // require / do
    const quoted = /^(["'])((?:\\.|(?!\1).)*)\1/.exec(rest);
    if (quoted) {
      const [, quote, name = ''] = quoted;
      if (quote === '"' && /[$@]/.test(name)) {
        const pattern = name.replace(/[$@]\{[^}]*\}|[$@][\w:]+(?:->\w+|\[[^\]]*\]|\{[^}]*\})*/g, '*');
        if (/[A-Za-z]/.test(pattern.replace(/\*/g, '')) && !pattern.startsWith('/') && !pattern.startsWith('*')) this.patterns.add(pattern);
        else this.addDynamic(line);
      } else if (name && !name.startsWith('/')) this.files.add(name);
      return;
    }
    if (keyword === 'require' && word && MODULE.test(word) && !/^(__PACKAGE__|if|unless|and|or)$/.test(word)) {
      // `require Foo::Bar` but not `require VERSION` (a number) or a function call `require foo(...)`.
      this.modules.add(word);
      return;
    }
    if (keyword === 'require' && /^[$@&]/.test(rest)) this.addDynamic(line);
  }

  /** `use parent -norequire, 'A'`, `use base qw(A B)`, `use if $] < 5.008, 'utf8'`. */
  private pragma(statement: string): void {
    const match = /^use\s+(parent|base|if)\b(.*)$/s.exec(statement.trim());
    if (!match) return;
    const [, pragma, args = ''] = match;
    const body = args.split(';')[0] ?? '';
    if (pragma === 'parent' && /-norequire\b/.test(body)) return;
    if (pragma === 'if') {
      // `use if COND, MODULE => ARGS`: the first word after the condition is loaded; the rest is its import list.
      const name = /^\s*(["']?)([A-Za-z_][\w:]*)\1/.exec(body.slice(body.indexOf(',') + 1))?.[2];
      if (body.includes(',') && name && MODULE.test(name)) this.modules.add(name);
      return;
    }
    const words: string[] = [];
    for (const qw of body.matchAll(/\bqw\s*([([{<\/|!])([^)\]}>\/|!]*)/g)) words.push(...(qw[2] ?? '').split(/\s+/));
    for (const quoted of body.matchAll(/(["'])([\w:]+)\1/g)) words.push(quoted[2] ?? '');
    for (const name of words) if (MODULE.test(name)) this.modules.add(name);
  }

  private addDynamic(line: string): void {
    const text = line.trim().slice(0, 120);
    if (!this.dynamic.includes(text)) this.dynamic.push(text);
  }
}

/**
 * Whether code ending in `before` is inside a string literal that is not code for `eval`
 * (`die "use $how instead"`, but not `eval "require $class"`): quotes counted, escapes skipped.
 */
function inMessageString(before: string): boolean {
  let quote: string | null = null;
  let opened = 0;
  for (let i = 0; i < before.length; i++) {
    const c = before[i]!;
    if (c === '\\') i++;
    else if (quote === null && (c === '"' || c === "'")) {
      quote = c;
      opened = i;
    } else if (c === quote) quote = null;
  }
  return quote !== null && !/\beval\s*\(?\s*$/.test(before.slice(0, opened));
}

/** The loads of a whole perl source text. */
export function perlLoads(text: string): PerlLoads {
  const scanner = new PerlSourceScanner();
  scanner.push(text);
  return scanner.finish();
}

/** The @INC-relative file of a module name: `List::Util` → `List/Util.pm`. */
export function perlModuleFile(module: string): string {
  return `${module.replace(/::/g, '/')}.pm`;
}
