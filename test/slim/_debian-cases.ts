/**
 * The programs of the Debian-package proof (issue 9), shared by test/slim/debian-images.test.ts
 * and bench/slim-services.mjs: how each image is built, the workload run on the original and on
 * the slimmed image under chroot, and the probes a user would naturally give for it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildDebianImage, type DebianImage } from './_debian.js';
import { compile } from './_plan.js';
import { runInRootfs, type RunResult, type RunSpec } from './_support.js';
import { serveOnce } from './_serve.js';

export interface DebianCase {
  name: string;
  image: (port: number) => DebianImage;
  /** --keep given with default options (the case needs it: nothing names the file). */
  keep?: string[];
  /** Commands run in both images, in order, in the same root (state carries over). */
  workload: string[][];
  /** What the last workload command must print on stderr in both images (a refusal that must survive slimming). */
  lastStderr?: RegExp;
  /** A server: the image's entrypoint is started and GET / is sent to this port. */
  server?: boolean;
  /** What the first workload command must print on stdout in the original (proof that the workload works at all). */
  firstStdout?: RegExp;
  /** The probe options a user would give for this workload (`{port}` is the server's port). */
  probes: string[];
}

const SYSTEM_C = `#include <stdio.h>
#include <stdlib.h>
int main(int argc, char **argv) {
  int status = system(argc > 1 ? argv[1] : "echo shell says $((6 * 7))");
  printf("system returned %d\\n", status);
  return status == 0 ? 0 : 1;
}
`;
const PERL_SCRIPT = '#!/usr/bin/perl\nuse strict;\nuse warnings;\nuse List::Util qw(sum);\nuse POSIX qw(floor);\nprintf("sum %d floor %d\\n", sum(1 .. 10), floor(7 / 2));\n';
/** A perl program using core modules of each kind: pure perl, XS (POSIX, Digest::SHA, Encode), an :encoding layer, %! (Errno). */
const PERL_TOOL = [
  '#!/usr/bin/perl',
  'use strict;',
  'use warnings;',
  'use Getopt::Long;',
  'use File::Temp qw(tempfile);',
  'use POSIX qw(strftime floor);',
  'use JSON::PP ();',
  'use Digest::SHA qw(sha256_hex);',
  'use Data::Dumper;',
  'use Encode qw(encode);',
  '',
  'my %opt = (name => \'nobody\', count => 0);',
  'GetOptions(\'name=s\' => \\$opt{name}, \'count=i\' => \\$opt{count}) or die "usage: tool.pl --name NAME --count N\\n";',
  'my ($fh, $file) = tempfile(DIR => \'/tmp\', UNLINK => 1);',
  'binmode $fh, \':encoding(UTF-8)\';',
  'print $fh "h\\x{e9}llo $opt{name}\\n";',
  'close $fh;',
  'open(my $in, \'<:encoding(UTF-8)\', $file) or die "$file: $!\\n";',
  'my $line = <$in>;',
  'chomp $line;',
  'my $json = JSON::PP->new->canonical->encode({ name => $opt{name}, count => $opt{count}, floor => floor(7 / 2), epoch => strftime(\'%Y-%m-%d\', gmtime(0)), length => length $line });',
  'print "$json\\n";',
  'print sha256_hex(encode(\'UTF-8\', $line)), "\\n";',
  '$Data::Dumper::Sortkeys = 1;',
  '$Data::Dumper::Indent = 1;',
  'print Dumper(JSON::PP::decode_json($json));',
  'print \'no such file: \', (open(my $none, \'<\', \'/nonexistent\') ? \'opened\' : $!{ENOENT} ? \'ENOENT\' : \'other\'), "\\n";',
].join('\n');
const PYTHON_LINES = [
  'import locale, zoneinfo, datetime, ctypes.util',
  'print(locale.setlocale(locale.LC_ALL, ""))',
  'print(datetime.datetime(2024, 7, 1, tzinfo=zoneinfo.ZoneInfo("Europe/Paris")).isoformat())',
  'print(ctypes.util.find_library("c"))',
  'print("é".upper())',
];
const PYTHON = PYTHON_LINES.join('\n');
const GIT_WORKLOAD = [
  ['git', 'config', '--global', 'user.name', 'Slim Test'],
  ['git', 'config', '--global', 'user.email', 'slim@example.com'],
  ['git', 'init', '-q', '-b', 'main', '/tmp/origin'],
  ['git', '-C', '/tmp/origin', 'commit', '-q', '--allow-empty', '-m', 'first commit'],
  ['git', 'clone', '-q', 'file:///tmp/origin', '/tmp/clone'],
  ['git', '-C', '/tmp/clone', 'log', '--format=%H %an %s'],
  ['git', '-C', '/tmp/clone', 'rev-parse', '--abbrev-ref', 'HEAD'],
];
const IMAGEMAGICK_WORKLOAD = [
  ['convert', '-size', '4x3', 'xc:red', '/tmp/red.png'],
  ['convert', '/tmp/red.png', '-format', '%m %w %h %[pixel:p{0,0}]\\n', 'info:'],
  // Debian's policy.xml refuses PDF: the slimmed image must refuse it too.
  ['convert', '/tmp/red.png', '/tmp/red.pdf'],
];

/**
 * The shape of the official nginx image's start-up: an entrypoint script that runs every
 * /docker-entrypoint.d/*.sh (found with find, ordered with sort) and then `exec "$@"` (the CMD);
 * one of them renders /etc/nginx/templates/*.template into conf.d with envsubst.
 */
const NGINX_ENTRYPOINT = `#!/bin/sh
set -e
entrypoint_log() {
    if [ -z "\${NGINX_ENTRYPOINT_QUIET_LOGS:-}" ]; then
        echo "$@"
    fi
}
if [ "$1" = "nginx" ] || [ "$1" = "nginx-debug" ]; then
    if /usr/bin/find "/docker-entrypoint.d/" -mindepth 1 -maxdepth 1 -type f -print -quit 2>/dev/null | read v; then
        entrypoint_log "$0: /docker-entrypoint.d/ is not empty, will attempt to perform configuration"
        find "/docker-entrypoint.d/" -follow -type f -print | sort -V | while read -r f; do
            case "$f" in
                *.sh)
                    if [ -x "$f" ]; then
                        entrypoint_log "$0: Launching $f"
                        "$f"
                    fi
                    ;;
                *) entrypoint_log "$0: Ignoring $f" ;;
            esac
        done
        entrypoint_log "$0: Configuration complete; ready for start up"
    fi
fi
exec "$@"
`;
const NGINX_TEMPLATES = `#!/bin/sh
set -e
template_dir="\${NGINX_ENVSUBST_TEMPLATE_DIR:-/etc/nginx/templates}"
output_dir="\${NGINX_ENVSUBST_OUTPUT_DIR:-/etc/nginx/conf.d}"
[ -d "$template_dir" ] || exit 0
find "$template_dir" -follow -type f -name "*.template" -print | while read -r template; do
    relative_path="\${template#"$template_dir/"}"
    output_path="$output_dir/\${relative_path%.template}"
    subdir=$(dirname "$relative_path")
    mkdir -p "$output_dir/$subdir"
    echo "$0: Running envsubst on $template to $output_path"
    envsubst '$NGINX_PORT' < "$template" > "$output_path"
done
`;

/** The modules apache2's postinst enables (a2enmod), and those of them with a .conf. */
const APACHE_MODULES = 'mpm_event authz_core authz_host authn_core auth_basic access_compat authn_file authz_user alias dir autoindex env mime negotiation setenvif filter deflate status reqtimeout'.split(' ');
const APACHE_MODULE_CONFS = 'mpm_event alias dir autoindex mime negotiation setenvif deflate status reqtimeout'.split(' ');

export const DEBIAN_CASES: DebianCase[] = [
  {
    name: 'nginx',
    server: true,
    image: (port) => ({
      packages: ['nginx', 'libnginx-mod-stream'],
      files: {
        'etc/nginx/modules-enabled/50-mod-stream.conf': '->/usr/share/nginx/modules-available/mod-stream.conf',
        'etc/nginx/sites-enabled/default': `server {\n  listen 127.0.0.1:${port};\n  root /var/www/html;\n  location / { try_files $uri $uri/ =404; }\n}\n`,
        'var/www/html/index.html': '<h1>served by nginx</h1>\n',
      },
      entrypoint: ['nginx', '-g', 'daemon off;'],
    }),
    workload: [['nginx', '-t', '-q']],
    probes: ['--probe-http', '{port}/', '--probe', 'nginx -t -q'],
  },
  {
    name: 'nginx started by an entrypoint script',
    server: true,
    image: (port) => ({
      packages: ['nginx', 'gettext-base', 'findutils', 'coreutils'],
      files: {
        'docker-entrypoint.sh': { content: NGINX_ENTRYPOINT, mode: 0o755 },
        'docker-entrypoint.d/20-envsubst-on-templates.sh': { content: NGINX_TEMPLATES, mode: 0o755 },
        'etc/nginx/templates/default.conf.template': 'server {\n  listen 127.0.0.1:${NGINX_PORT};\n  root /var/www/html;\n  location / { try_files $uri $uri/ =404; }\n}\n',
        'var/www/html/index.html': '<h1>served by nginx, configured by its entrypoint script</h1>\n',
      },
      entrypoint: ['/docker-entrypoint.sh'],
      cmd: ['nginx', '-g', 'daemon off;'],
      env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', `NGINX_PORT=${port}`],
    }),
    workload: [['nginx', '-t', '-q']],
    probes: ['--probe-http', '{port}/'],
  },
  {
    name: 'lighttpd',
    server: true,
    image: (port) => ({
      packages: ['lighttpd'],
      files: { 'var/www/html/index.html': '<h1>served by lighttpd</h1>\n' },
      edits: { 'etc/lighttpd/lighttpd.conf': (text) => `${text.replace(/^server\.port\s*=.*$/m, `server.port = ${port}\nserver.bind = "127.0.0.1"`)}\n` },
      dirs: ['var/cache/lighttpd/uploads', 'var/cache/lighttpd/compress'],
      entrypoint: ['lighttpd', '-D', '-f', '/etc/lighttpd/lighttpd.conf'],
    }),
    workload: [['lighttpd', '-tt', '-f', '/etc/lighttpd/lighttpd.conf']],
    probes: ['--probe-http', '{port}/', '--probe', 'lighttpd -tt -f /etc/lighttpd/lighttpd.conf'],
  },
  {
    name: 'apache2 started by apache2ctl',
    server: true,
    // What the package's postinst enables with a2enmod/a2enconf, as the links it makes; the
    // server starts through apache2ctl, a shell script that sources envvars and makes run dirs.
    image: (port) => ({
      packages: ['apache2', 'coreutils'],
      files: {
        ...Object.fromEntries(
          [...APACHE_MODULES.map((name) => `${name}.load`), ...APACHE_MODULE_CONFS.map((name) => `${name}.conf`)].map((name) => [
            `etc/apache2/mods-enabled/${name}`,
            `->../mods-available/${name}`,
          ]),
        ),
        'etc/apache2/conf-enabled/security.conf': '->../conf-available/security.conf',
        // Without ServerName (here and in the site) apache2 looks names up and logs time-stamped errors: outputs would differ by the clock.
        'etc/apache2/conf-enabled/servername.conf': 'ServerName 127.0.0.1\n',
        'etc/apache2/sites-enabled/site.conf': `<VirtualHost 127.0.0.1:${port}>\n  ServerName 127.0.0.1\n  DocumentRoot /var/www/html\n  ErrorLog \${APACHE_LOG_DIR}/error.log\n</VirtualHost>\n`,
        'var/www/html/index.html': '<h1>served by apache2</h1>\n',
      },
      edits: { 'etc/apache2/ports.conf': (text) => text.replace(/^Listen 80$/m, `Listen 127.0.0.1:${port}`) },
      entrypoint: ['apache2ctl', '-D', 'FOREGROUND'],
    }),
    workload: [['apache2ctl', '-t'], ['apache2ctl', '-M']],
    probes: ['--probe-http', '{port}/', '--probe', 'apache2ctl -t'],
  },
  {
    name: 'php cli with extensions',
    image: () => ({
      packages: ['php8.2-cli', 'php8.2-mbstring', 'php8.2-xml', 'tzdata'],
      // What the packages' postinst does: ucf copies each module's ini into mods-available, and
      // phpenmod links the enabled ones into the CLI's conf.d (`extension=NAME.so`, a name
      // relative to the extension_dir compiled into php).
      files: {
        ...Object.fromEntries(
          [['mbstring', 20], ['ctype', 20], ['xml', 15], ['simplexml', 20], ['dom', 20]].flatMap(([name, priority]) => [
            [`etc/php/8.2/mods-available/${name}.ini`, `; priority=${priority}\nextension=${name}.so\n`],
            [`etc/php/8.2/cli/conf.d/${priority}-${name}.ini`, `->/etc/php/8.2/mods-available/${name}.ini`],
          ]),
        ),
        'app/index.php': '<?php\n$d = new DateTime("2024-07-01 12:00", new DateTimeZone("Europe/Paris"));\necho json_encode(["tz" => $d->format(DATE_ATOM), "upper" => mb_strtoupper("héllo"), "xml" => simplexml_load_string("<a><b>1</b></a>")->b . "", "ctype" => ctype_digit("123"), "ext" => extension_loaded("mbstring")]), "\\n";\n',
      },
      entrypoint: ['php8.2', '/app/index.php'],
      env: ['PATH=/usr/bin:/bin'],
    }),
    workload: [['php8.2', '/app/index.php']],
    firstStdout: /"upper":"H\\u00c9LLO"/,
    probes: ['--probe', 'php8.2 /app/index.php'],
  },
  {
    name: 'git',
    image: () => ({
      packages: ['git'],
      entrypoint: ['git'],
      env: ['PATH=/usr/sbin:/usr/bin:/sbin:/bin', 'GIT_AUTHOR_DATE=2024-01-01T00:00:00Z', 'GIT_COMMITTER_DATE=2024-01-01T00:00:00Z'],
    }),
    workload: GIT_WORKLOAD,
    probes: [
      '--probe',
      `sh -c 'git config --global user.name "Slim Test" && git config --global user.email slim@example.com && git init -q -b main /tmp/origin && git -C /tmp/origin commit -q --allow-empty -m "first commit" && git clone -q file:///tmp/origin /tmp/clone && git -C /tmp/clone log --format="%H %an %s" && git -C /tmp/clone rev-parse --abbrev-ref HEAD'`,
    ],
  },
  {
    name: 'imagemagick',
    // The alternatives links update-alternatives makes in imagemagick-6.q16's postinst.
    image: () => ({
      packages: ['imagemagick-6.q16'],
      files: { 'usr/bin/convert': '->/etc/alternatives/convert', 'etc/alternatives/convert': '->/usr/bin/convert-im6.q16' },
      entrypoint: ['convert'],
    }),
    workload: IMAGEMAGICK_WORKLOAD,
    lastStderr: /not allowed by the security policy `PDF'/,
    probes: ['--probe', 'sh -c "convert -size 4x3 xc:red /tmp/red.png && convert /tmp/red.png -format \'%m %w %h %[pixel:p{0,0}]\\n\' info: && convert /tmp/red.png /tmp/red.pdf"'],
  },
  {
    name: 'python3 (LANG=C.UTF-8)',
    image: () => ({
      packages: ['python3.11', 'tzdata', 'libc-bin'],
      ldconfig: true,
      entrypoint: ['python3.11', '-c', PYTHON],
      env: ['PATH=/usr/bin:/bin', 'LANG=C.UTF-8'],
    }),
    workload: [['python3.11', '-c', PYTHON]],
    probes: ['--probe', `python3.11 -c '${PYTHON_LINES.join('; ')}'`],
  },
  {
    name: 'python app with its own modules and data',
    image: () => ({
      packages: ['python3.11'],
      files: {
        'app/main.py': 'import json, os, sys\nfrom greeting import greet\nfrom lib.shapes import area\nwith open(os.path.join(os.path.dirname(__file__), "data", "names.json")) as f:\n    names = json.load(f)\nprint(json.dumps({"greetings": [greet(n) for n in names], "area": area(3, 4), "args": sys.argv[1:]}))\n',
        'app/greeting.py': 'def greet(name):\n    return f"hello, {name}"\n',
        'app/lib/__init__.py': '',
        'app/lib/shapes.py': 'def area(w, h):\n    return w * h\n',
        'app/data/names.json': '["slim", "image"]\n',
      },
      entrypoint: ['python3.11', 'main.py'],
      cmd: ['--verbose'],
      workingDir: '/app',
      env: ['PATH=/usr/bin:/bin'],
    }),
    workload: [['python3.11', 'main.py', '--verbose']],
    firstStdout: /^\{"greetings": \["hello, slim", "hello, image"\], "area": 12, "args": \["--verbose"\]\}$/m,
    probes: ['--probe', 'python3.11 main.py --verbose'],
  },
  {
    name: 'C program calling system()',
    image: () => ({ packages: [], files: { 'usr/local/bin/cli': { content: Buffer.from(''), mode: 0o755 } }, entrypoint: ['/usr/local/bin/cli'] }),
    workload: [['/usr/local/bin/cli'], ['/usr/local/bin/cli', 'exit 3']],
    probes: ['--probe', '/usr/local/bin/cli', '--probe', "/usr/local/bin/cli 'exit 3'"],
  },
  {
    name: 'perl script kept with --keep',
    keep: ['/app/report.pl'],
    image: () => ({
      packages: ['perl'],
      files: { 'usr/local/bin/cli': { content: Buffer.from(''), mode: 0o755 }, 'app/report.pl': { content: PERL_SCRIPT, mode: 0o755 } },
      entrypoint: ['/usr/local/bin/cli'],
    }),
    workload: [['/app/report.pl']],
    probes: ['--probe', '/app/report.pl'],
  },
  {
    name: 'perl program using core modules',
    image: () => ({
      packages: ['perl'],
      files: { 'app/tool.pl': { content: `${PERL_TOOL}\n`, mode: 0o755 } },
      entrypoint: ['/app/tool.pl', '--name', 'slim', '--count', '3'],
    }),
    workload: [['/app/tool.pl', '--name', 'slim', '--count', '3']],
    probes: ['--probe', '/app/tool.pl --name slim --count 3'],
  },
  {
    name: 'perl script named on perl\'s command line',
    image: () => ({
      packages: ['perl'],
      files: { 'app/tool.pl': { content: `${PERL_TOOL}\n`, mode: 0o644 } },
      entrypoint: ['perl', '-w', 'tool.pl', '--name', 'slim', '--count', '3'],
      workingDir: '/app',
    }),
    workload: [['perl', '-w', 'tool.pl', '--name', 'slim', '--count', '3']],
    probes: ['--probe', 'perl -w tool.pl --name slim --count 3'],
  },
];

/** Builds the case's image as an OCI layout under `dir` (tag `test`); the C program is compiled on the way. */
export function buildCaseImage(c: DebianCase, dir: string, port: number): { layout: string; spec: DebianImage } {
  const spec = c.image(port);
  const cli = spec.files?.['usr/local/bin/cli'];
  if (cli && typeof cli !== 'string') cli.content = readFileSync(compile('system-cli', SYSTEM_C));
  return { layout: buildDebianImage(spec, path.join(dir, 'original')), spec };
}

/** The probe options of a case, the server's port filled in. */
export function caseProbes(c: DebianCase, port: number): string[] {
  return c.probes.map((arg) => arg.replace('{port}', String(port)));
}

export interface WorkloadOutcome {
  runs: Array<{ argv: string[] } & RunResult>;
  /** The server's answer to GET / from the host, for servers. */
  served: { status: number; body: string } | null;
}

/** Runs the case's workload in an unpacked root under chroot (commands in order, then the server). */
export async function runWorkload(c: DebianCase, spec: DebianImage, root: string, port: number): Promise<WorkloadOutcome> {
  const base: RunSpec = { argv: [], env: spec.env ?? ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'], user: spec.user ?? null, cwd: spec.workingDir ?? '/' };
  const runs = c.workload.map((argv) => ({ argv, ...runInRootfs(root, { ...base, argv }) }));
  const served = c.server ? await serveOnce(root, { ...base, argv: [...(spec.entrypoint ?? []), ...(spec.cmd ?? [])] }, port) : null;
  return { runs, served };
}
