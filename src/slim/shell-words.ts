/**
 * The programs a shell-form command line runs, as far as they can be told without running it:
 * the first word of every simple command in a list or pipeline (`a && b | c; d`), after
 * `NAME=value` assignments and the reserved words of if/while/until. Anything that depends on
 * expansion (`$x`, `` `…` ``, `$(…)`), functions, `case` or here-documents makes the result
 * `opaque`: the caller must say it could not see everything.
 */

export interface ShellCommands {
  /** Command names in order of appearance, each once. */
  programs: string[];
  /** True when some command's program cannot be determined statically. */
  opaque: boolean;
}

const RESERVED = new Set(['if', 'then', 'else', 'elif', 'fi', 'do', 'done', 'while', 'until', '!', '{', '}', 'time']);
/** Words after which the next word is the program: `exec prog`, `command prog`, `nohup prog`. */
const PREFIX = new Set(['exec', 'command', 'nohup', 'nice']);
const OPAQUE_RESERVED = new Set(['case', 'esac', 'for', 'select', 'function', 'in']);

type Token = { kind: 'word'; text: string; dynamic: boolean } | { kind: 'op'; text: string };

export function shellCommands(script: string): ShellCommands {
  const tokens = tokenize(script);
  if (tokens === null) return { programs: [], opaque: true };
  const programs: string[] = [];
  let opaque = false;
  let atStart = true;
  let skipRedirectTarget = false;
  for (const token of tokens) {
    if (token.kind === 'op') {
      if (token.text === '<<' || token.text === '<<-' || token.text === '(' || token.text === ')') opaque = true;
      skipRedirectTarget = /^[0-9]*[<>]/.test(token.text);
      if (!skipRedirectTarget) atStart = true;
      continue;
    }
    if (skipRedirectTarget) {
      skipRedirectTarget = false;
      continue;
    }
    if (!atStart) continue;
    if (!token.dynamic && /^[A-Za-z_][A-Za-z0-9_]*=/.test(token.text)) continue;
    if (!token.dynamic && (RESERVED.has(token.text) || PREFIX.has(token.text))) continue;
    atStart = false;
    if (token.dynamic || OPAQUE_RESERVED.has(token.text) || token.text.endsWith('()')) {
      opaque = true;
      continue;
    }
    if (!programs.includes(token.text)) programs.push(token.text);
  }
  return { programs, opaque };
}

/** Commands every POSIX shell runs itself: never a program to look up. */
export const SHELL_BUILTINS = new Set(
  ('. : [ [[ alias bg break builtin cd command continue echo eval exec exit export false fc fg getopts hash jobs kill let ' +
    'local printf pwd read readonly return set shift source test times trap true type ulimit umask unalias unset wait')
    .split(' '),
);

/**
 * The programs a whole shell script runs by name: its simple commands (shellCommands), and the
 * programs of command substitutions (`"$(id -u)"`, `` `hostname` ``, `$(LC_ALL=C stat …)`), of `find … -exec PROG`, of
 * `xargs PROG`, and the program `set -- PROG "$@"` puts first (docker-entrypoint.sh's "first arg
 * is an option" idiom). Builtins and names that are not plain words are left out.
 */
/** The program docker-entrypoint.sh's `set -- PROG "$@"` puts before the arguments, or undefined. */
export function prependedProgram(script: string): string | undefined {
  return SET_PREPENDED.exec(script)?.[1];
}
const SET_PREPENDED = /\bset\s+--\s+([A-Za-z_][\w.+-]*)\s+"\$@"/;

export function scriptPrograms(script: string): ShellCommands {
  const { programs, opaque } = shellCommands(script);
  const found = new Set(programs);
  // A substitution's program may follow assignments: `$(LC_ALL=C stat -c %U "$dir")`.
  const extra = /\$\(\s*(?:[A-Za-z_]\w*=[^\s)`]*\s+)*([A-Za-z_][\w.+-]*)(?![\w.+=-])|`\s*(?:[A-Za-z_]\w*=[^\s)`]*\s+)*([A-Za-z_][\w.+-]*)(?![\w.+=-])|-exec(?:dir)?\s+([A-Za-z_][\w.+-]*)|\bxargs\s+(?:-[A-Za-z0-9]+\s+)*([A-Za-z_][\w.+-]*)/g;
  for (const match of script.matchAll(extra)) {
    const name = match.slice(1).find((group) => group !== undefined);
    if (name) found.add(name);
  }
  const prepended = prependedProgram(script);
  if (prepended) found.add(prepended);
  return { programs: [...found].filter((name) => !SHELL_BUILTINS.has(name) && /^[A-Za-z0-9_][\w.+-]*$/.test(name)), opaque };
}

/**
 * The words of a simple command (`prog 'a b' c`), quotes removed, as a shell would pass them as
 * argv; null when the text needs a shell (operators, redirections, expansions, unbalanced quotes).
 */
export function shellWords(text: string): string[] | null {
  const tokens = tokenize(text);
  if (tokens === null) return null;
  const words: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'op' || token.dynamic) return null;
    words.push(token.text);
  }
  return words;
}

const OPERATORS = ['&&', '||', ';;', '<<-', '<<', '>>', '>&', '<&', '>|', '<>', ';', '&', '|', '(', ')', '<', '>', '\n'];

/** POSIX-ish tokens; null when quoting is unbalanced. */
function tokenize(script: string): Token[] | null {
  const tokens: Token[] = [];
  let word = '';
  let inWord = false;
  let dynamic = false;
  const flush = () => {
    if (inWord) tokens.push({ kind: 'word', text: word, dynamic });
    word = '';
    inWord = false;
    dynamic = false;
  };
  for (let i = 0; i < script.length; i++) {
    const char = script[i]!;
    if (char === ' ' || char === '\t') {
      flush();
      continue;
    }
    if (char === '#' && !inWord) {
      while (i < script.length && script[i] !== '\n') i++;
      i--;
      continue;
    }
    if (char === '\\') {
      if (script[i + 1] === '\n') i++;
      else if (i + 1 < script.length) {
        word += script[++i];
        inWord = true;
      }
      continue;
    }
    if (char === "'") {
      const end = script.indexOf("'", i + 1);
      if (end < 0) return null;
      word += script.slice(i + 1, end);
      inWord = true;
      i = end;
      continue;
    }
    if (char === '"') {
      let end = i + 1;
      for (; end < script.length && script[end] !== '"'; end++) if (script[end] === '\\') end++;
      if (end >= script.length) return null;
      const body = script.slice(i + 1, end);
      if (/[$`]/.test(body)) dynamic = true;
      word += body.replace(/\\([$`"\\\n])/g, '$1');
      inWord = true;
      i = end;
      continue;
    }
    if (char === '$' || char === '`') dynamic = true;
    const operator = OPERATORS.find((op) => script.startsWith(op, i));
    if (operator && !(char === '(' && dynamic)) {
      // `2>&1`: digits glued to a redirection belong to it.
      const fd = /^[0-9]+$/.test(word) && inWord && /^[<>]/.test(operator) ? word : '';
      if (fd) {
        word = '';
        inWord = false;
      } else flush();
      tokens.push({ kind: 'op', text: fd + operator });
      i += operator.length - 1;
      continue;
    }
    word += char;
    inWord = true;
  }
  flush();
  return tokens;
}
