/**
 * The perl load scanner on snippets of each form, and on real module sources of Debian's perl
 * (the host's perl-base and perl-modules, the same files the Debian-package images hold): what it
 * reads must include every module perl itself loads for them (`%INC` after `require`).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { perlLoads, perlModuleFile, PerlSourceScanner } from '../../src/analysis/perl-source.js';
import { hasTool, missingPrerequisite } from '../helpers/tools.js';

describe('perlLoads on snippets', () => {
  test('use, no and require of barewords; versions and pragmas with arguments', () => {
    const loads = perlLoads(['#!/usr/bin/perl', 'use 5.010;', 'use strict; use warnings;', 'no warnings "once";', 'use List::Util qw(sum);', 'require POSIX;', 'require 5.006;', 'use v5.36;'].join('\n'));
    expect(loads.modules).toEqual(['List::Util', 'POSIX', 'strict', 'warnings']);
    expect(loads.dynamic).toEqual([]);
  });

  test('parent and base with their class lists, across lines; -norequire loads nothing', () => {
    const loads = perlLoads(['use parent qw(', '  Tie::Hash', '  Exporter', ');', "use base 'IO::Handle';", "use parent -norequire, 'Local::Thing';"].join('\n'));
    expect(loads.modules).toEqual(['Exporter', 'IO::Handle', 'Tie::Hash', 'base', 'parent']);
  });

  test('use if: only the module after the condition, not its import list', () => {
    expect(perlLoads("use if $] < 5.008, 'utf8';\nuse if $^O eq 'MSWin32', Win32::API => qw(Foo::Bar);").modules).toEqual(['Win32::API', 'if', 'utf8']);
  });

  test('literal files, interpolated names as patterns, run-time names as dynamic', () => {
    const loads = perlLoads(['require "Config_heavy.pl";', "do 'unicore/Name.pl';", 'require "File/Spec/$module.pm";', 'eval "require $class";', 'require $file;'].join('\n'));
    expect(loads.files).toEqual(['Config_heavy.pl', 'unicore/Name.pl']);
    expect(loads.patterns).toEqual(['File/Spec/*.pm']);
    expect(loads.dynamic).toEqual(['eval "require $class";', 'require $file;']);
  });

  test('POD, __END__, comments, messages, methods and hash keys are not loads', () => {
    const text = [
      '=head1 SYNOPSIS',
      '',
      '  use Not::Loaded::Pod;',
      '',
      '=cut',
      '# use Not::Loaded::Comment;',
      'die "C-specific: use $how instead";',
      '$obj->require; $h{require} = 1; my %o = (use => 1);',
      'sub require_ok { }',
      'use Loaded;',
      '__END__',
      'use Not::Loaded::Data;',
    ].join('\n');
    const loads = perlLoads(text);
    expect(loads.modules).toEqual(['Loaded']);
    expect(loads.dynamic).toEqual([]);
  });

  test('text fed in pieces split anywhere gives the same loads', () => {
    const text = 'use strict;\nuse parent qw(\n Exporter\n);\nrequire "Config_heavy.pl";\n';
    for (let at = 1; at < text.length; at++) {
      const scanner = new PerlSourceScanner();
      scanner.push(text.slice(0, at));
      scanner.push(text.slice(at));
      expect(scanner.finish()).toEqual(perlLoads(text));
    }
  });

  test('perlModuleFile', () => {
    expect(perlModuleFile('List::Util')).toBe('List/Util.pm');
    expect(perlModuleFile('strict')).toBe('strict.pm');
  });
});

/** Debian's @INC directories that hold perl-base and perl-modules. */
const INC = ['/usr/lib/x86_64-linux-gnu/perl-base', '/usr/lib/x86_64-linux-gnu/perl/5.36', '/usr/share/perl/5.36'];
const hostPerl = existsSync(`${INC[0]}/POSIX.pm`) && existsSync(`${INC[2]}/File/Temp.pm`) && hasTool('perl');
if (!hostPerl) missingPrerequisite("Debian 12's perl (perl-base, perl-modules-5.36) is not on this host", 'the perl-source tests on real modules');

function source(file: string): string {
  const dir = INC.find((item) => existsSync(`${item}/${file}`));
  if (!dir) throw new Error(`${file} is not in ${INC.join(':')}`);
  return readFileSync(`${dir}/${file}`, 'latin1');
}

describe.skipIf(!hostPerl)("perlLoads on Debian's perl modules", () => {
  test('POSIX, Config, File::Spec: their loads as written', () => {
    expect(perlLoads(source('POSIX.pm')).modules).toEqual(expect.arrayContaining(['Fcntl', 'Tie::Hash', 'XSLoader', 'strict', 'warnings']));
    expect(perlLoads(source('Config.pm')).files).toEqual(['Config_heavy.pl']);
    expect(perlLoads(source('File/Spec.pm')).patterns).toEqual(['File/Spec/*.pm']);
  });

  test.each(['File::Temp', 'Getopt::Long', 'JSON::PP', 'Digest::SHA', 'POSIX', 'List::Util', 'Data::Dumper'])(
    '%s: the modules perl loads for it are all named by the sources of the modules before them',
    (module) => {
      const loaded = execFileSync('perl', ['-e', `require ${module}; print join("\\n", sort keys %INC), "\\n"`], { encoding: 'utf8', env: { PATH: process.env.PATH } })
        .trim()
        .split('\n');
      // Files reachable from the module by the scanner's modules, files and patterns (patterns matched against what perl loaded).
      const reached = new Set<string>();
      const queue = [perlModuleFile(module)];
      while (queue.length > 0) {
        const file = queue.pop()!;
        if (reached.has(file)) continue;
        reached.add(file);
        const dir = INC.find((item) => existsSync(`${item}/${file}`));
        if (!dir) continue;
        const loads = perlLoads(readFileSync(`${dir}/${file}`, 'latin1'));
        queue.push(...loads.modules.map(perlModuleFile), ...loads.files);
        for (const pattern of loads.patterns) {
          const matcher = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')}$`);
          queue.push(...loaded.filter((item) => matcher.test(item)));
        }
      }
      expect(loaded.filter((file) => !reached.has(file))).toEqual([]);
    },
  );
});
