/**
 * Receives one regular file's content during the layer scan and keeps only what the analysis
 * needs (see capture.ts). The decision is made on the first bytes, so most files cost one
 * comparison per chunk.
 */
import { createHash, type Hash } from 'node:crypto';
import { Digester, type TarBodySink } from '../archive/index.js';
import { createElfCollector, type CollectorOptions, type ElfInfo } from '../elf/index.js';
import { isCapturedConfig, isCapturedText, isPerlSourcePath, MAX_CAPTURED_FILE, MAX_SHEBANG, parseShebang, reportImports, startsWithElfMagic, startsWithShebang, type ContentDigests, type EntryPayload } from './capture.js';
import { PerlSourceScanner } from './perl-source.js';

type Mode = 'sniff' | 'elf' | 'config' | 'shebang' | 'perl' | 'skip';

/** Bytes needed to tell ELF files (4) and scripts (2) apart. */
const SNIFF_BYTES = 4;

export class ContentSink implements TarBodySink {
  private mode: Mode = 'sniff';
  /** First bytes, kept only while fewer than SNIFF_BYTES have arrived. */
  private pending: Uint8Array | undefined;
  private shebangHead: Uint8Array = new Uint8Array(0);
  private collector: ReturnType<typeof createElfCollector> | undefined;
  private config: Uint8Array | undefined;
  private filled = 0;
  /** Hashes the content: from the first byte when every file is hashed, from ELF detection when ELF files are. */
  private digester: Digester | undefined;
  /** SHA-1 of an ELF file's content when ELF files are hashed (SPDX 2.3 requires it). */
  private sha1: Hash | undefined;
  private readonly hashAll: boolean;
  /** What of a non-ELF file's text is kept whole (isCapturedText). */
  private readonly text: 'config' | 'script' | false;
  /** Reads what a perl module or script loads (`.pm`/`.pl` files, and scripts until their `#!` says which interpreter). */
  private perl: PerlSourceScanner | undefined;
  private readonly perlPath: boolean;

  constructor(
    path: string,
    private readonly size: number,
    private readonly payload: EntryPayload,
    private readonly elfOptions: CollectorOptions,
    private readonly digests: ContentDigests = 'none',
    /**
     * Gather the facts only slim's plan reads (AnalyzeOptions.planFacts): what perl sources load
     * (EntryPayload.perl), and every imported name of an ELF file (else only reportImports).
     */
    private readonly planFacts = true,
  ) {
    this.hashAll = digests === 'all';
    this.text = isCapturedText(path, size);
    this.perlPath = planFacts && isPerlSourcePath(path);
    if (this.hashAll) this.digester = new Digester();
    if (isCapturedConfig(path, size)) {
      this.mode = 'config';
      this.config = new Uint8Array(size);
    }
  }

  data(chunk: Uint8Array): void {
    if (this.hashAll) this.digester!.update(chunk);
    if (this.perl && this.mode !== 'sniff') this.perl.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length).toString('latin1'));
    switch (this.mode) {
      case 'skip':
      case 'perl':
        return;
      case 'elf':
        if (this.digests === 'elf') {
          this.digester!.update(chunk);
          this.sha1!.update(chunk);
        }
        this.collector!.push(chunk);
        return;
      case 'config':
        this.config!.set(chunk.subarray(0, this.size - this.filled), this.filled);
        this.filled += chunk.length;
        return;
      case 'shebang':
        this.appendShebang(chunk);
        return;
      case 'sniff': {
        const bytes = this.pending ? concat(this.pending, chunk) : chunk;
        if (bytes.length < SNIFF_BYTES) {
          this.pending = bytes === chunk ? chunk.slice() : bytes;
          return;
        }
        this.pending = undefined;
        this.begin(bytes);
      }
    }
  }

  end(): void {
    if (this.mode === 'sniff' && this.pending) this.begin(this.pending);
    if (this.digester) this.payload.digest = this.digester.digest();
    if (this.sha1) this.payload.sha1 = `sha1:${this.sha1.digest('hex')}`;
    if (this.perl) this.finishPerl();
    if (this.mode === 'shebang') this.finishShebang();
    else if (this.mode === 'elf') this.payload.elf = this.finishElf();
    else if (this.mode === 'config' && this.filled >= this.size) {
      this.payload.content = this.config;
      if (startsWithShebang(this.config!)) this.payload.shebang = parseShebang(this.config!.subarray(0, MAX_SHEBANG)) ?? undefined;
    }
    this.mode = 'skip';
    this.collector = undefined;
  }

  private finishElf(): ElfInfo {
    const elf = this.collector!.finish();
    // Import names were the largest part of what a scan sends, and the Report lists none of them.
    if (!this.planFacts) elf.imports = reportImports(elf.imports);
    return elf;
  }

  private finishPerl(): void {
    const loads = this.perl!.finish();
    this.perl = undefined;
    if (this.mode === 'shebang') this.finishShebang();
    const shebang = this.payload.shebang ?? (this.config && startsWithShebang(this.config) ? parseShebang(this.config.subarray(0, MAX_SHEBANG)) : null);
    if (this.perlPath || isPerlShebang(shebang)) this.payload.perl = loads;
  }

  private begin(bytes: Uint8Array): void {
    if (this.planFacts && !startsWithElfMagic(bytes) && this.size <= MAX_CAPTURED_FILE && (this.perlPath || startsWithShebang(bytes))) {
      this.perl = new PerlSourceScanner();
      this.perl.push(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1'));
    }
    if (startsWithElfMagic(bytes)) {
      this.mode = 'elf';
      if (this.digests === 'elf') {
        this.digester = new Digester();
        this.digester.update(bytes);
        this.sha1 = createHash('sha1').update(bytes);
      }
      this.collector = createElfCollector(this.size, this.elfOptions);
      this.collector.push(bytes);
    } else if (this.text === 'config' || (this.text === 'script' && startsWithShebang(bytes))) {
      this.mode = 'config';
      this.config = new Uint8Array(this.size);
      this.config.set(bytes.subarray(0, this.size));
      this.filled = bytes.length;
    } else if (startsWithShebang(bytes)) {
      this.mode = 'shebang';
      this.appendShebang(bytes);
    } else {
      this.mode = this.perl ? 'perl' : 'skip';
    }
  }

  private appendShebang(chunk: Uint8Array): void {
    const take = Math.min(chunk.length, MAX_SHEBANG - this.shebangHead.length);
    if (take > 0) this.shebangHead = concat(this.shebangHead, chunk.subarray(0, take));
    if (this.shebangHead.length >= MAX_SHEBANG || this.shebangHead.includes(0x0a)) this.finishShebang();
  }

  private finishShebang(): void {
    const line = parseShebang(this.shebangHead);
    if (line) this.payload.shebang = line;
    // A script for another interpreter: its text need not be read for perl loads.
    if (this.perl && !this.perlPath && !isPerlShebang(line)) this.perl = undefined;
    this.mode = 'skip';
  }
}

function isPerlShebang(line: string | null | undefined): boolean {
  return /\bperl/.test(line ?? '');
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
