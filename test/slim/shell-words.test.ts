import { describe, expect, test } from 'vitest';
import { shellCommands } from '../../src/slim/index.js';
import { scriptPrograms } from '../../src/slim/shell-words.js';

describe('programs of a shell-form command line', () => {
  test.each([
    ['echo hi from busybox', ['echo'], false],
    ['nginx -g "daemon off;"', ['nginx'], false],
    ['X=1 Y="a b" exec /app/server --port 80', ['/app/server'], false],
    ['set -e; /app/migrate && /app/server || exit 1', ['set', '/app/migrate', '/app/server', 'exit'], false],
    ['cat /etc/hosts | grep -v "#" > /tmp/out 2>&1 &', ['cat', 'grep'], false],
    ['if test -f /x; then /app/a; else /app/b; fi', ['test', '/app/a', '/app/b'], false],
    ["printf '%s\\n' 'a;b' # comment; rm -rf /", ['printf'], false],
    ['nohup /app/worker\n/app/server', ['/app/worker', '/app/server'], false],
    ['$APP --serve', [], true],
    ['echo $(date)', ['echo'], true],
    ['"$HOME/bin/run"', [], true],
    ['for x in a b; do echo $x; done', ['echo'], true],
    ['cat <<EOF\nhi\nEOF', ['cat', 'hi', 'EOF'], true],
    ["echo 'unterminated", [], true],
  ])('%j', (script, programs, opaque) => {
    expect(shellCommands(script)).toEqual({ programs, opaque });
  });
});

describe('programs a whole shell script runs by name', () => {
  test('simple commands, command substitutions, find -exec, xargs and set -- PROG "$@"; builtins left out', () => {
    const script = [
      '#!/bin/sh',
      'set -e',
      'if [ "${1#-}" != "$1" ]; then',
      '  set -- redis-server "$@"',
      'fi',
      'if [ "$(id -u)" = \'0\' ]; then',
      "  find . \\! -user redis -exec chown redis '{}' +",
      '  ls /data | xargs -0 touch',
      '  exec gosu redis "$0" "$@"',
      'fi',
      'host=`hostname`',
      'owner="$(LC_ALL=C stat -c %U /data 2> /dev/null || true)"',
      'now=`TZ=UTC LANG= date +%s`',
      'umask 0077',
      'exec "$@"',
    ].join('\n');
    const { programs, opaque } = scriptPrograms(script);
    expect(programs.sort()).toEqual(['chown', 'date', 'find', 'gosu', 'hostname', 'id', 'ls', 'redis-server', 'stat', 'touch', 'xargs'].sort());
    expect(opaque).toBe(true);
  });
});
