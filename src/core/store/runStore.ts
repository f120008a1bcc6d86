// Run files: one JSONL file per run under `<workspace>/.promptlab/runs/`.
//   line 1      the RunHeader
//   then        {"type":"case", ...CaseResult} per finished case, in finishing order
//   last        {"type":"summary", ...RunSummary, cancelled, finishedAt} when the run ends
// A run can be continued in the same file (resume, src/core/run/resume.ts): it appends
//   {"type":"resume", ...}   then case lines, then a new summary line over the whole run.
// Readers apply the lines in order: a later case line for the same caseIndex replaces the earlier
// one (an errored case that was run again), the run is finished when its last record is a summary.
// Other records with a string `type` (e.g. a provider batch's `batch` records) are kept in
// `records` for the code that wrote them; the store gives them no meaning.
// Each line is written with one fs.writeSync on a file descriptor opened for appending, before
// the runner announces the case. Once write(2) returns, the bytes are in the kernel's page cache
// and survive the death of the process (kill -9, crash), so no fsync per case: fsync only adds
// protection against a power loss or kernel crash, which would cost a disk flush per case and
// break the run's per-case overhead budget. A torn last line (e.g. a full disk) is tolerated by
// load(), which reports it instead of failing.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PromptLabError } from '../errors';
import { summarize } from '../run/summary';
import type {
  BatchRecord,
  BatchResultRecord,
  BatchSubmitRecord,
  CaseResult,
  RunHeader,
  RunSummary,
} from '../run/types';
import { ensurePromptlabGitignore } from './gitignore';

export const RUN_FILE_EXTENSION = '.jsonl';
export const TORN_LINE_WARNING = 'last line incomplete, ignored';
const LIST_BATCH = 32;

/** The final line of a finished (or cancelled) run. */
export interface StoredSummary extends RunSummary {
  cancelled: boolean;
  finishedAt: string;
}

export interface RunInfo {
  id: string;
  /** Absolute path of the run file. */
  file: string;
  header: RunHeader;
  /** Absent while the run is going on, or when it was killed before it ended. */
  summary?: StoredSummary;
}

/** A record of the run file that is neither its header, a case nor a summary (resume, batch …). */
export interface RunRecord {
  type: string;
  /** 1-based line of the run file. */
  line: number;
  [field: string]: unknown;
}

export interface LoadedRun {
  id: string;
  file: string;
  header: RunHeader;
  /** Finished cases in the order they finished; one per caseIndex (the last line for it wins). */
  cases: CaseResult[];
  /** Resume, batch and other records, in file order. */
  records: RunRecord[];
  /** From the file's summary line, or recomputed from `cases` when the run never wrote one. */
  summary: StoredSummary;
  /** False when the file has no summary line (run still going, killed or crashed). */
  finished: boolean;
  /** Problems found while reading (torn last line, unreadable lines, recomputed summary). */
  warnings: string[];
  /** Provider batches of an `eval --batch` run, and the ends of those already read. */
  batches: BatchRecord[];
  batchResults: BatchResultRecord[];
  /** Batches whose create was sent (input file uploaded); a `batch` line follows once it is answered. */
  batchSubmits: BatchSubmitRecord[];
}

/** `2026-11-26T08-15-03-123Z`: ISO time made safe for file names, still sorting by time. */
function timeStamp(date: Date): string {
  return date.toISOString().replace(/:/g, '-').replace('.', '-');
}

function slugOf(text: string): string {
  const slug = text
    .toLowerCase()
    .replace(/\.prompt\.ya?ml$/, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return slug || 'prompt';
}

/** A new run id: sortable by start time, readable, unique: `<time>_<prompt slug>_<6 hex>`. */
export function newRunId(promptFile: string, startedAt: Date): string {
  return `${timeStamp(startedAt)}_${slugOf(path.basename(promptFile))}_${randomBytes(3).toString('hex')}`;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * `<run file>.lock` while a process writes the run, so that a resume cannot add to a run that is
 * still going (its pending cases would be requested, and paid for, twice). A lock left by a
 * process that died (kill -9) on this machine is taken over; one from another machine cannot be
 * checked and is taken over too.
 */
function takeWriteLock(file: string, id: string): string {
  const lock = `${file}.lock`;
  const mine = JSON.stringify({ pid: process.pid, host: os.hostname(), since: new Date().toISOString() });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lock, mine, { flag: 'wx' });
      return lock;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let holder: { pid?: unknown; host?: unknown } = {};
    try {
      holder = JSON.parse(fs.readFileSync(lock, 'utf8')) as typeof holder;
    } catch {
      // Unreadable or half-written: nobody can be shown to hold it.
    }
    if (typeof holder.pid === 'number' && holder.host === os.hostname() && processAlive(holder.pid)) {
      throw new PromptLabError(
        `run ${id} is still being written by process ${holder.pid}; wait for it to finish (or stop it), then resume`,
        'input',
        { file },
      );
    }
    fs.rmSync(lock, { force: true });
  }
  throw new PromptLabError(`run ${id}: another process took the lock ${lock} at the same moment`, 'input', { file });
}

/** Appends the lines of one run. Created by RunStore.create; used by the runner only. */
export class RunWriter {
  private fd: number | undefined;
  private lock: string | undefined;

  /** With a header: a new run file (never someone else's). Without: appends to an existing run file. */
  constructor(
    readonly id: string,
    readonly file: string,
    header?: RunHeader,
  ) {
    if (!header && !fs.existsSync(file)) throw new PromptLabError(`Run not found: ${file}`, 'input', { file });
    this.lock = takeWriteLock(file, id);
    try {
      this.open(header);
    } catch (error) {
      this.releaseLock();
      throw error;
    }
  }

  private open(header: RunHeader | undefined): void {
    if (header) {
      // 'wx': a new file; never append to someone else's run.
      this.fd = fs.openSync(this.file, 'wx');
      this.writeLine(JSON.stringify(header));
      return;
    }
    this.fd = fs.openSync(this.file, 'a+');
    // A torn last line (killed mid-write) must not swallow the next record: end it first; the
    // reader then skips it as an invalid line.
    const size = fs.fstatSync(this.fd).size;
    const last = Buffer.alloc(1);
    if (size > 0 && fs.readSync(this.fd, last, 0, 1, size - 1) === 1 && last[0] !== 0x0a)
      this.writeRaw(Buffer.from('\n'));
  }

  private releaseLock(): void {
    if (this.lock) fs.rmSync(this.lock, { force: true });
    this.lock = undefined;
  }

  /** A batch record or a batch's end (see BatchRecord): written before anything else happens. */
  appendBatch(record: BatchSubmitRecord | BatchRecord | BatchResultRecord): void {
    const { type, ...fields } = record;
    this.appendRecord(type, fields);
  }

  appendCase(result: CaseResult): void {
    this.writeLine(JSON.stringify({ type: 'case', ...result }));
  }

  /**
   * Many finished cases at once (a batch run's results): one write per ~1 MB instead of one per
   * case. The batch records already in the file keep the run resumable if this is cut short.
   */
  appendCases(results: readonly CaseResult[]): void {
    let pending: string[] = [];
    let size = 0;
    for (const result of results) {
      const line = JSON.stringify({ type: 'case', ...result });
      pending.push(line);
      size += line.length;
      if (size >= 1_000_000) {
        this.writeLine(pending.join('\n'));
        pending = [];
        size = 0;
      }
    }
    if (pending.length > 0) this.writeLine(pending.join('\n'));
  }

  /** Appends a record of another kind (`resume`, `batch` …): it is read back in LoadedRun.records. */
  appendRecord(type: string, fields: Record<string, unknown>): void {
    if (type === 'case' || type === 'summary')
      throw new PromptLabError(`appendRecord: use appendCase / finish for ${type} records`, 'internal');
    this.writeLine(JSON.stringify({ ...fields, type }));
  }

  finish(summary: RunSummary, cancelled: boolean): void {
    const stored: StoredSummary = { ...summary, cancelled, finishedAt: new Date().toISOString() };
    this.writeLine(JSON.stringify({ type: 'summary', ...stored }));
    this.close();
  }

  close(): void {
    if (this.fd === undefined) return;
    fs.closeSync(this.fd);
    this.fd = undefined;
    this.releaseLock();
  }

  private writeLine(json: string): void {
    this.writeRaw(Buffer.from(`${json}\n`, 'utf8'));
  }

  private writeRaw(bytes: Buffer): void {
    if (this.fd === undefined) throw new PromptLabError(`Run file ${this.file} is already closed`, 'internal');
    let written = 0;
    // A regular file takes the whole buffer in one write; the loop only guards short writes.
    while (written < bytes.length) written += fs.writeSync(this.fd, bytes, written, bytes.length - written);
  }
}

interface ParsedLine {
  type?: unknown;
}

function isHeader(value: unknown): value is RunHeader {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'promptlab-run';
}

function stripType<T>(record: ParsedLine): T {
  const { type: _type, ...rest } = record;
  return rest as T;
}

export class RunStore {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = path.resolve(dir);
  }

  /** The conventional run directory of a workspace. */
  static defaultDir(workspaceRoot: string): string {
    return path.join(workspaceRoot, '.promptlab', 'runs');
  }

  /** Starts a run file with its header line; the header's runId names the file. */
  create(header: RunHeader): RunWriter {
    fs.mkdirSync(this.dir, { recursive: true });
    ensurePromptlabGitignore(this.dir);
    return new RunWriter(header.runId, this.fileOf(header.runId), header);
  }

  /** Opens an existing run (by id or path) to append to it, e.g. to resume it. */
  append(idOrPath: string): RunWriter {
    const file = this.resolve(idOrPath);
    return new RunWriter(idOfFile(file), file);
  }

  /** The run file of an id, or a path as given (absolute or relative to the working directory). */
  resolve(idOrPath: string): string {
    return idOrPath.endsWith(RUN_FILE_EXTENSION) || idOrPath.includes('/') || idOrPath.includes(path.sep)
      ? path.resolve(idOrPath)
      : this.fileOf(idOrPath);
  }

  fileOf(id: string): string {
    if (id === '' || id !== path.basename(id) || id.startsWith('.'))
      throw new PromptLabError(`Invalid run id '${id}'`, 'input');
    return path.join(this.dir, `${id}${RUN_FILE_EXTENSION}`);
  }

  /** Runs newest first. Reads only each file's first line and its tail, so it stays fast with many runs. */
  async list(): Promise<RunInfo[]> {
    let names: string[];
    try {
      names = await fsp.readdir(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const files = names
      .filter((n) => n.endsWith(RUN_FILE_EXTENSION))
      .sort()
      .reverse();
    const infos: RunInfo[] = [];
    // A bounded number of open files at a time: a folder may hold thousands of runs.
    for (let start = 0; start < files.length; start += LIST_BATCH) {
      const batch = await Promise.all(
        files.slice(start, start + LIST_BATCH).map((name) => readRunInfo(path.join(this.dir, name))),
      );
      for (const info of batch) if (info) infos.push(info);
    }
    return infos;
  }

  /** Loads a run by id or by path. Tolerates a torn last line and a missing summary (see warnings). */
  async load(idOrPath: string): Promise<LoadedRun> {
    const file = this.resolve(idOrPath);
    let text: string;
    let modified: Date;
    try {
      text = await fsp.readFile(file, 'utf8');
      modified = (await fsp.stat(file)).mtime;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new PromptLabError(`Run not found: ${file}`, 'input', { file });
      if (code === 'EISDIR') throw new PromptLabError(`${file} is a directory, not a run file`, 'input', { file });
      throw error;
    }
    return parseRunText(file, text, modified);
  }

  async delete(id: string): Promise<void> {
    try {
      await fsp.unlink(this.fileOf(id));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new PromptLabError(`Run not found: ${id}`, 'input');
      throw error;
    }
  }
}

function idOfFile(file: string): string {
  return path.basename(file, RUN_FILE_EXTENSION);
}

export function parseRunText(file: string, text: string, modified = new Date()): LoadedRun {
  const warnings: string[] = [];
  const lines = text.split('\n');
  // Every line is written with its newline in one write; text after the last newline is torn.
  const tail = lines.pop() ?? '';
  if (tail.trim() !== '') warnings.push(TORN_LINE_WARNING);

  const [first, ...rest] = lines;
  let header: unknown;
  try {
    header = first === undefined ? undefined : JSON.parse(first);
  } catch {
    header = undefined;
  }
  if (!isHeader(header)) {
    const start = { line: 0, column: 0 };
    throw new PromptLabError('not a PromptLab run file (the first line is not a run header)', 'input', {
      file,
      range: { start, end: start },
    });
  }

  // By caseIndex, in the order each case first finished; a later line for a case replaces it.
  const byIndex = new Map<number, CaseResult>();
  const records: RunRecord[] = [];
  const batches: BatchRecord[] = [];
  const batchResults: BatchResultRecord[] = [];
  const batchSubmits: BatchSubmitRecord[] = [];
  let summary: StoredSummary | undefined;
  rest.forEach((line, i) => {
    if (line.trim() === '') return;
    let record: ParsedLine;
    try {
      record = JSON.parse(line) as ParsedLine;
    } catch {
      warnings.push(`line ${i + 2}: not valid JSON, ignored`);
      return;
    }
    if (record.type === 'case') {
      const result = stripType<CaseResult>(record);
      byIndex.set(result.caseIndex, result);
      summary = undefined;
    } else if (record.type === 'summary') summary = stripType<StoredSummary>(record);
    else if (typeof record.type === 'string') {
      records.push({ ...(record as Record<string, unknown>), type: record.type, line: i + 2 });
      // A batch record (and its end) keeps its shape for the batch runner (src/core/run/batchRunner.ts).
      if (record.type === 'batch') batches.push(record as BatchRecord);
      else if (record.type === 'batch-result') batchResults.push(record as BatchResultRecord);
      else if (record.type === 'batch-submit') batchSubmits.push(record as BatchSubmitRecord);
      // A record after a summary (a resume, a batch) continues the run: unfinished until a summary follows.
      summary = undefined;
    } else warnings.push(`line ${i + 2}: record without a type, ignored`);
  });
  const cases = [...byIndex.values()];

  const finished = summary !== undefined;
  if (!summary) {
    warnings.push(
      `no summary line (the run did not finish); summary recomputed from ${cases.length} finished case${cases.length === 1 ? '' : 's'}`,
    );
    const durationMs = Math.max(0, modified.getTime() - Date.parse(header.startedAt));
    summary = {
      ...summarize(cases, Number.isFinite(durationMs) ? durationMs : 0, header.repeatPassRate),
      cancelled: false,
      finishedAt: modified.toISOString(),
    };
  }
  return {
    id: header.runId || idOfFile(file),
    file,
    header,
    cases,
    records,
    summary,
    finished,
    warnings,
    batches,
    batchResults,
    batchSubmits,
  };
}

const HEAD_CHUNK = 16 * 1024;
const MAX_HEADER_BYTES = 4 * 1024 * 1024;
const TAIL_CHUNK = 64 * 1024;

async function readRunInfo(file: string): Promise<RunInfo | undefined> {
  let handle: fsp.FileHandle | undefined;
  try {
    handle = await fsp.open(file, 'r');
    const { size } = await handle.stat();
    const headerLine = await readFirstLine(handle, size);
    if (headerLine === undefined) return undefined;
    const header: unknown = JSON.parse(headerLine);
    if (!isHeader(header)) return undefined;
    const info: RunInfo = { id: header.runId || idOfFile(file), file, header };
    const summary = await readSummary(handle, size);
    if (summary) info.summary = summary;
    return info;
  } catch {
    // An unreadable or foreign file in the runs folder is not a run; list the others.
    return undefined;
  } finally {
    await handle?.close();
  }
}

async function readFirstLine(handle: fsp.FileHandle, size: number): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let offset = 0;
  while (offset < size && offset < MAX_HEADER_BYTES) {
    const buffer = Buffer.alloc(Math.min(HEAD_CHUNK, size - offset));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
    if (bytesRead === 0) break;
    const newline = buffer.subarray(0, bytesRead).indexOf(0x0a);
    if (newline >= 0) {
      chunks.push(buffer.subarray(0, newline));
      return Buffer.concat(chunks).toString('utf8');
    }
    chunks.push(buffer.subarray(0, bytesRead));
    offset += bytesRead;
  }
  return undefined;
}

async function readSummary(handle: fsp.FileHandle, size: number): Promise<StoredSummary | undefined> {
  const start = Math.max(0, size - TAIL_CHUNK);
  const buffer = Buffer.alloc(size - start);
  const { bytesRead } = await handle.read(buffer, 0, buffer.length, start);
  const text = buffer.subarray(0, bytesRead).toString('utf8');
  if (!text.endsWith('\n')) return undefined;
  const lastLine = text.slice(text.lastIndexOf('\n', text.length - 2) + 1, -1);
  if (!lastLine.startsWith('{"type":"summary"')) return undefined;
  try {
    return stripType<StoredSummary>(JSON.parse(lastLine) as ParsedLine);
  } catch {
    return undefined;
  }
}
