// One parse per content version of a mesh or deck, shared by diagnostics, predictions and previews:
// without it, saving a deck with its preview open parsed it up to three times and kept two meshes.
// No `vscode` here (the host passes its file system in), so unit tests drive it with plain objects.
import * as fs from 'node:fs';
import { checkMeshGeometry, readMesh, type Mesh, type MeshDiagnostic, type ReadOptions, type ReadResult } from '../core/mesh/index';
import { includeFileReader } from '../core/mesh/includeFiles';

/** What the store needs of a URI (vscode.Uri has it). */
export interface FileUri {
  readonly scheme: string;
  readonly fsPath: string;
  readonly path: string;
  toString(): string;
}

export interface ParsedFile<U extends FileUri = FileUri> {
  readonly uri: U;
  readonly mesh?: Mesh;
  readonly diagnostics: readonly MeshDiagnostic[];
  readonly bytes: number;
  readonly parseMs: number;
  /** Increases with every parse the store makes (a cache hit returns the same object). */
  readonly version: number;
  /** The file on disk, or an editor's unsaved text. */
  readonly source: 'disk' | 'text';
}

/** The file system the store reads (the host's is vscode.workspace.fs). */
export interface FileSource<U> {
  stat(uri: U): PromiseLike<{ readonly mtime: number; readonly size: number }>;
  read(uri: U): PromiseLike<Uint8Array>;
}

export interface StoreLimits {
  readonly maxFileSizeMB: number;
  readonly maxPoints: number;
}

/** An editor's unsaved text: parsed instead of the file on disk. */
export interface UnsavedText {
  readonly version: number;
  readonly bytes: Uint8Array;
}

export interface StoreStats {
  /** Parses made (each content version once). */
  readonly parses: number;
  /** Parses every reader gave up on before the file was parsed. */
  readonly abandoned: number;
  /** Reads answered by a finished parse of the same version. */
  readonly hits: number;
  /** Reads that waited for a parse of the same version already running. */
  readonly joined: number;
}

export interface Subscription {
  dispose(): void;
}

/** The parsed-file service the host's consumers share. */
export interface ParsedFiles<U extends FileUri> {
  /**
   * The parse of the current content (the file on disk, or `text`), parsing only a version not seen
   * yet. `checks` adds the geometric checks' findings (run once per version, on the same mesh).
   */
  read(uri: U, opts?: ReadRequest): Promise<ParsedFile<U>>;
  /** The newest parse of `uri` (disk or unsaved text), without reading anything. */
  latest(uri: U): ParsedFile<U> | undefined;
  /** Drops what is kept of `uri` (the file was deleted). */
  forget(uri: U): void;
  /** Fires after a new version of `uri` was parsed (not on cache hits). */
  onDidChange(listener: (uri: U) => void): Subscription;
  stats(): StoreStats;
}

export interface ReadRequest {
  readonly signal?: AbortSignal;
  readonly text?: UnsavedText;
  /** Diagnostics want the signed volume / area checks; drawing and predicting do not wait for them. */
  readonly checks?: boolean;
}

export type MeshParser = (bytes: Uint8Array, fileName: string, opts: ReadOptions) => ReadResult;

export interface ParsedFileStoreDeps<U> {
  readonly source: FileSource<U>;
  /** flare.limits.maxFileSizeMB / maxPoints for `uri`, read at each request so a raised limit applies. */
  readonly limits: (uri: U) => StoreLimits;
  readonly parse?: MeshParser;
}

/** An included file as it was when read; a changed include makes the including file's parse stale. */
interface IncludeStamp {
  readonly file: string;
  readonly stamp: string;
}

interface Entry<U extends FileUri> {
  readonly key: string;
  readonly seq: number;
  readonly file: ParsedFile<U>;
  /** `file` with the geometric checks' findings, made on the first read that asks for them. */
  checked?: ParsedFile<U>;
  readonly includes: readonly IncludeStamp[];
  /** Unsaved text only: a reopened document counts its versions from 1 again, so the bytes decide. */
  readonly text?: Uint8Array;
}

interface Running<U extends FileUri> {
  readonly promise: Promise<Entry<U>>;
  readonly ctl: AbortController;
  /** Readers still waiting; the parse is aborted only when every one of them gave up. */
  waiters: number;
}

interface Slots<U extends FileUri> {
  disk?: Entry<U>;
  text?: Entry<U>;
  latest?: Entry<U>;
  readonly running: Map<string, Running<U>>;
}

const MIB = 1024 * 1024;

function statStamp(file: string): string {
  try {
    const s = fs.statSync(file);
    return `${s.mtimeMs}:${s.size}`;
  } catch {
    return 'missing';
  }
}

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => a.byteLength === b.byteLength && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);

/**
 * Parses each content version of a file once. A version is the file's mtime and size (VS Code's own
 * etag) or an editor's document version, plus the limits it was read under and the stamps of its
 * *INCLUDE files. Readers of a version being parsed wait for that parse; it is cancelled only when
 * all of them are.
 */
export class ParsedFileStore<U extends FileUri> implements ParsedFiles<U> {
  private readonly files = new Map<string, Slots<U>>();
  private readonly listeners = new Set<(uri: U) => void>();
  private readonly parseMesh: MeshParser;
  private seq = 0;
  private version = 0;
  private parses = 0;
  private abandoned = 0;
  private hits = 0;
  private joined = 0;

  constructor(private readonly deps: ParsedFileStoreDeps<U>) {
    this.parseMesh = deps.parse ?? readMesh;
  }

  async read(uri: U, opts: ReadRequest = {}): Promise<ParsedFile<U>> {
    const { signal, text } = opts;
    signal?.throwIfAborted();
    const limits = this.deps.limits(uri);
    const size = text ? text.bytes.byteLength : undefined;
    const stat = text ? undefined : await this.deps.source.stat(uri);
    signal?.throwIfAborted();
    const key = `${text ? `text:${text.version}:${size}` : `disk:${stat!.mtime}:${stat!.size}`}|${limits.maxFileSizeMB}|${limits.maxPoints}`;
    const slots = this.slots(uri);
    const have = text ? slots.text : slots.disk;
    if (have && have.key === key && (!text || (have.text && sameBytes(have.text, text.bytes))) && have.includes.every((i) => statStamp(i.file) === i.stamp)) {
      this.hits++;
      return opts.checks ? this.checked(have) : have.file;
    }
    let run = slots.running.get(key);
    // A parse every reader gave up on is being aborted: it cannot serve a new reader.
    if (run && !run.ctl.signal.aborted) this.joined++;
    else run = this.start(uri, slots, key, limits, text ? { text } : { size: stat!.size });
    const entry = await this.wait(run, signal);
    return opts.checks ? this.checked(entry) : entry.file;
  }

  latest(uri: U): ParsedFile<U> | undefined {
    return this.files.get(uri.toString())?.latest?.file;
  }

  forget(uri: U): void {
    const slots = this.files.get(uri.toString());
    if (!slots) return;
    for (const r of slots.running.values()) r.ctl.abort(new Error('cancelled: the file was deleted'));
    this.files.delete(uri.toString());
  }

  onDidChange(listener: (uri: U) => void): Subscription {
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  }

  stats(): StoreStats {
    return { parses: this.parses, abandoned: this.abandoned, hits: this.hits, joined: this.joined };
  }

  private checked(entry: Entry<U>): ParsedFile<U> {
    const { file } = entry;
    if (!entry.checked) entry.checked = file.mesh ? { ...file, diagnostics: [...file.diagnostics, ...checkMeshGeometry(file.mesh)] } : file;
    return entry.checked;
  }

  private slots(uri: U): Slots<U> {
    const k = uri.toString();
    let s = this.files.get(k);
    if (!s) this.files.set(k, (s = { running: new Map() }));
    return s;
  }

  private start(uri: U, slots: Slots<U>, key: string, limits: StoreLimits, what: { text: UnsavedText } | { size: number }): Running<U> {
    const ctl = new AbortController();
    const seq = ++this.seq;
    const promise = this.parse(uri, key, seq, limits, what, ctl.signal).then((entry) => {
      // A slower parse of an older version must not replace a newer one.
      const slot = entry.file.source === 'text' ? 'text' : 'disk';
      if (this.files.get(uri.toString()) === slots && (slots[slot]?.seq ?? 0) < seq) {
        slots[slot] = entry;
        // Unsaved text older than the file on disk was saved or dropped: do not keep its mesh too.
        if (slot === 'disk' && (slots.text?.seq ?? seq) < seq) slots.text = undefined;
        if ((slots.latest?.seq ?? 0) < seq) slots.latest = entry;
        for (const l of [...this.listeners]) l(uri);
      }
      return entry;
    });
    const run: Running<U> = { promise, ctl, waiters: 0 };
    slots.running.set(key, run);
    const done = (): void => { if (slots.running.get(key) === run) slots.running.delete(key); };
    void promise.then(done, done);
    return run;
  }

  private async wait(run: Running<U>, signal: AbortSignal | undefined): Promise<Entry<U>> {
    run.waiters++;
    if (!signal) return run.promise.finally(() => run.waiters--);
    let onAbort!: () => void;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => {
        if (--run.waiters === 0) {
          this.abandoned++;
          run.ctl.abort(signal.reason);
        }
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      const entry = await Promise.race([run.promise, aborted]);
      run.waiters--;
      return entry;
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  private async parse(uri: U, key: string, seq: number, limits: StoreLimits, what: { text: UnsavedText } | { size: number }, signal: AbortSignal): Promise<Entry<U>> {
    const file = uri.scheme === 'file' ? uri.fsPath : uri.toString();
    const source = 'text' in what ? 'text' : 'disk';
    const size = 'text' in what ? what.text.bytes.byteLength : what.size;
    const includes: IncludeStamp[] = [];
    let parsed: Omit<ParsedFile<U>, 'version'>;
    if (size > limits.maxFileSizeMB * MIB) {
      const mb = (size / MIB).toFixed(1);
      parsed = { uri, source, bytes: size, parseMs: 0, diagnostics: [{ severity: 'error', code: 'file-too-large', message: `file is ${mb} MB, above flare.limits.maxFileSizeMB (${limits.maxFileSizeMB} MB); raise the setting to read it`, file, line: 1 }] };
    } else {
      const bytes = 'text' in what ? what.text.bytes : await this.deps.source.read(uri);
      signal.throwIfAborted();
      // *INCLUDE and .pvtu pieces obey the same size limit, checked before they are read.
      const readIncluded = includeFileReader(limits.maxFileSizeMB * MIB);
      const t = performance.now();
      this.parses++;
      const r = this.parseMesh(bytes, file, {
        signal,
        maxPoints: limits.maxPoints,
        checks: false, // run by checked() for the readers that want them, on this same mesh
        readInclude: (f) => {
          includes.push({ file: f, stamp: statStamp(f) });
          return readIncluded(f);
        },
      });
      // Kept even when its readers left meanwhile: the parse is done and right for this version.
      parsed = { uri, source, mesh: r.mesh, diagnostics: r.diagnostics, bytes: bytes.byteLength, parseMs: performance.now() - t };
    }
    return { key, seq, includes, file: { ...parsed, version: ++this.version }, ...('text' in what ? { text: what.text.bytes } : {}) };
  }
}
