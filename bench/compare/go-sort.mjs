#!/usr/bin/env node
/**
 * `node bench/compare/go-sort.mjs [--cases N] [--seed S]`: checks imgslim's port of Go's pdqsort
 * (src/fs/_go-sort.ts, dist/ after `npm run build`) against Go itself, on randomized tie-heavy
 * inputs of 0–2049 elements (docs/decisions/fs.md, "Tie order"). Needs a Go toolchain (Debian's
 * golang-go; the sources of its sort package are read from GOROOT).
 *
 * Four orders per input, compared by element id:
 *   stdlib  the local Go's sort.Sort;
 *   copy    the local GOROOT's zsortinterface.go compiled in a scratch module with the local
 *           xorshift (proves the copy is faithful: must equal stdlib);
 *   go122   the same copy with Go ≥ 1.22's xorshift shifts (13, 7, 17), which dive is built with;
 *   port    goSort from dist/fs/_go-sort.js, which must equal go122.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { goSort } from '../../dist/fs/_go-sort.js';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const cases = option('--cases', 3000);
let seed = option('--seed', 1) >>> 0 || 1;

/** xorshift32: a small seeded generator, so every run checks the same inputs. */
function random(below) {
  seed ^= seed << 13;
  seed >>>= 0;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  seed >>>= 0;
  return seed % below;
}

/** Tie-heavy inputs: few distinct keys, sorted runs, reversed runs and saws, which reach
 * insertion sort, partitionEqual, partialInsertionSort and breakPatterns (random inputs seldom
 * reach the heapsort fallback; the count printed says whether they did). */
function makeInput() {
  const length = random(8) === 0 ? random(13) : random(2050);
  const distinct = 1 + random(random(2) ? 4 : 64);
  const shape = random(5);
  return Array.from({ length }, (_, i) => {
    if (shape === 0) return Math.floor((i * distinct) / Math.max(1, length)); // increasing runs
    if (shape === 1) return Math.floor(((length - i) * distinct) / Math.max(1, length)); // decreasing
    if (shape === 2) return i % distinct; // saw
    return random(distinct);
  });
}

const go = (() => {
  for (const candidate of ['go', '/usr/lib/go/bin/go']) {
    try {
      execFileSync(candidate, ['version'], { stdio: 'ignore' });
      return candidate;
    } catch {
      /* try the next */
    }
  }
  console.error('go-sort: no Go toolchain (apt-get install golang-go)');
  process.exit(2);
})();
const goroot = execFileSync(go, ['env', 'GOROOT'], { encoding: 'utf8' }).trim();
const goVersion = execFileSync(go, ['version'], { encoding: 'utf8' }).trim();
const sortSource = readFileSync(path.join(goroot, 'src/sort/sort.go'), 'utf8');
const localShifts = /func \(r \*xorshift\) Next\(\) uint64 \{([^}]*)\}/.exec(sortSource)?.[1];
if (!localShifts) throw new Error(`no xorshift in ${goroot}/src/sort/sort.go`);
const pdqsort = readFileSync(path.join(goroot, 'src/sort/zsortinterface.go'), 'utf8');

/** A package holding GOROOT's zsortinterface.go and the few declarations of sort.go it uses. */
function sortPackage(name, nextBody) {
  return {
    [`${name}/zsort.go`]: pdqsort
      .replace(/^package sort$/m, `package ${name}`)
      .replace(/^func (breakPatterns|heapSort)\(data Interface, a, b int\) \{$/gm, '$&\n\tCalls["$1"]++'),
    [`${name}/prelude.go`]: `package ${name}

import "math/bits"

type Interface interface {
	Len() int
	Less(i, j int) bool
	Swap(i, j int)
}

// Calls counts the slow paths taken, to show the inputs reach them.
var Calls = map[string]int{}

type sortedHint int

const (
	unknownHint sortedHint = iota
	increasingHint
	decreasingHint
)

type xorshift uint64

func (r *xorshift) Next() uint64 {${nextBody}}

func nextPowerOfTwo(length int) uint {
	return uint(1 << uint(bits.Len(uint(length))))
}

func Sort(data Interface) {
	n := data.Len()
	if n <= 1 {
		return
	}
	pdqsort(data, 0, n, bits.Len(uint(n)))
}
`,
  };
}

const main = `package main

import (
	"encoding/json"
	"os"
	"sort"

	"gosortcheck/copy"
	"gosortcheck/go122"
)

type items struct{ key, id []int }

func (s items) Len() int           { return len(s.key) }
func (s items) Less(i, j int) bool { return s.key[i] < s.key[j] }
func (s items) Swap(i, j int) {
	s.key[i], s.key[j] = s.key[j], s.key[i]
	s.id[i], s.id[j] = s.id[j], s.id[i]
}

func order(keys []int, sorter func(items)) []int {
	s := items{append([]int(nil), keys...), make([]int, len(keys))}
	for i := range s.id {
		s.id[i] = i
	}
	sorter(s)
	return s.id
}

func main() {
	var inputs [][]int
	if err := json.NewDecoder(os.Stdin).Decode(&inputs); err != nil {
		panic(err)
	}
	out := map[string][][]int{}
	for _, keys := range inputs {
		out["stdlib"] = append(out["stdlib"], order(keys, func(s items) { sort.Sort(s) }))
		out["copy"] = append(out["copy"], order(keys, func(s items) { copy.Sort(s) }))
		out["go122"] = append(out["go122"], order(keys, func(s items) { go122.Sort(s) }))
	}
	json.NewEncoder(os.Stdout).Encode(map[string]any{"orders": out, "calls": go122.Calls})
}
`;

const inputs = Array.from({ length: cases }, makeInput);
const dir = mkdtempSync(path.join(os.tmpdir(), 'imgslim-go-sort-'));
try {
  const files = {
    'go.mod': 'module gosortcheck\n\ngo 1.19\n',
    'main.go': main,
    ...sortPackage('copy', localShifts),
    ...sortPackage('go122', '\n\t*r ^= *r << 13\n\t*r ^= *r >> 7\n\t*r ^= *r << 17\n\treturn uint64(*r)\n'),
  };
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  const env = { ...process.env, GOCACHE: path.join(dir, 'cache'), GOFLAGS: '-mod=mod', GO111MODULE: 'on' };
  execFileSync(go, ['build', '-o', 'check', '.'], { cwd: dir, env, stdio: ['ignore', 'inherit', 'inherit'] });
  const { orders, calls } = JSON.parse(
    execFileSync(path.join(dir, 'check'), { input: JSON.stringify(inputs), maxBuffer: 1 << 30, encoding: 'utf8' }),
  );
  const port = inputs.map((keys) => {
    const items = keys.map((key, id) => ({ key, id }));
    goSort(items, (a, b) => a.key < b.key);
    return items.map((item) => item.id);
  });
  const differ = (a, b) => a.filter((order, i) => JSON.stringify(order) !== JSON.stringify(b[i])).length;
  const copyVsStdlib = differ(orders.copy, orders.stdlib);
  const portVsGo122 = differ(port, orders.go122);
  const elements = inputs.reduce((sum, keys) => sum + keys.length, 0);
  console.log(`${cases} inputs, ${elements} elements; ${goVersion}`);
  console.log(`slow paths reached: breakPatterns ${calls.breakPatterns ?? 0}, heapSort ${calls.heapSort ?? 0}`);
  console.log(`copy of GOROOT's pdqsort vs sort.Sort:       ${copyVsStdlib} mismatches`);
  console.log(`port vs pdqsort with Go >= 1.22's xorshift:  ${portVsGo122} mismatches`);
  console.log(`local sort.Sort vs Go >= 1.22 (tie order):   ${differ(orders.stdlib, orders.go122)} inputs differ`);
  process.exitCode = copyVsStdlib === 0 && portVsGo122 === 0 ? 0 : 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
