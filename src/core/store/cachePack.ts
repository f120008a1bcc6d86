// The response cache's storage: one append-only pack file per shard (`<2 hex>.pack`, the key's
// first two hex digits), instead of one small file per entry — creating thousands of files was
// the whole cost of storing a 3,000-reply batch (docs/performance.md, "Batch runs").
//
// A record is one line: `<64-hex key> <16-hex check> <JSON>\n`, the check being the first 64 bits
// of SHA-256 over the key and the JSON. Every write starts with "\n", so a record torn by a writer
// that died mid-write (or a partial write) ends before the next write's records; a line whose check
// fails is ignored, never served. Writers append with O_APPEND, so processes sharing a cache never
// overwrite each other; the last valid record of a key wins.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { sha256Hex } from '../run/canonical';

const KEY_LENGTH = 64;
const CHECK_LENGTH = 16;
/** Where the JSON of a record starts: key, space, check, space. */
const JSON_START = KEY_LENGTH + 1 + CHECK_LENGTH + 1;
const NEWLINE = 0x0a;
/** Bytes per write(2): larger writes are split at record boundaries, each piece its own append. */
const MAX_WRITE_BYTES = 256 * 1024;

export const PACK_SUFFIX = '.pack';

function checkOf(key: string, json: string): string {
  return sha256Hex(key + json).slice(0, CHECK_LENGTH);
}

/** One record line, newline included. `json` must not contain a raw newline (JSON.stringify never emits one). */
export function packRecord(key: string, json: string): string {
  return `${key} ${checkOf(key, json)} ${json}\n`;
}

interface Location {
  bytes: Buffer;
  start: number;
  end: number;
}

/**
 * One shard's pack as this process has read it: an index from key to the bytes of its last record.
 * Bytes appended later (by this or another process) are read on a miss, from where reading stopped.
 */
export class PackShard {
  private readonly index = new Map<string, Location>();
  /** Bytes of the file indexed so far: always at a line boundary (an unterminated tail is read again later). */
  private indexed = 0;

  constructor(readonly file: string) {
    this.readNew();
  }

  /** The JSON of the key's last intact record, checking for records appended since the last read when it has none. */
  lookup(key: string): string | undefined {
    const found = this.verified(key);
    if (found !== undefined) return found;
    return this.readNew() ? this.verified(key) : undefined;
  }

  private verified(key: string): string | undefined {
    const at = this.index.get(key);
    if (!at) return undefined;
    const line = at.bytes.toString('utf8', at.start, at.end);
    const json = line.slice(JSON_START);
    if (line.charCodeAt(KEY_LENGTH) !== 0x20 || line.charCodeAt(JSON_START - 1) !== 0x20) return this.drop(key);
    if (line.slice(0, KEY_LENGTH) !== key || line.slice(KEY_LENGTH + 1, JSON_START - 1) !== checkOf(key, json))
      return this.drop(key);
    return json;
  }

  private drop(key: string): undefined {
    this.index.delete(key);
    return undefined;
  }

  /** Indexes what was appended since the last read; true when there was anything. */
  private readNew(): boolean {
    // One stat per miss; the file is opened only when it grew.
    let size: number;
    try {
      size = fs.statSync(this.file, { throwIfNoEntry: false })?.size ?? 0;
    } catch {
      return false;
    }
    if (size <= this.indexed) return false;
    let fd: number;
    try {
      fd = fs.openSync(this.file, 'r');
    } catch {
      return false; // unreadable: every lookup is a miss
    }
    try {
      const bytes = Buffer.allocUnsafe(size - this.indexed);
      let read = 0;
      while (read < bytes.length) {
        const n = fs.readSync(fd, bytes, read, bytes.length - read, this.indexed + read);
        if (n === 0) break;
        read += n;
      }
      this.indexed += this.indexLines(read === bytes.length ? bytes : bytes.subarray(0, read));
      return true;
    } catch {
      return false;
    } finally {
      fs.closeSync(fd);
    }
  }

  /** Indexes every complete line; returns the bytes consumed (up to the last newline). */
  private indexLines(bytes: Buffer): number {
    let start = 0;
    for (;;) {
      const end = bytes.indexOf(NEWLINE, start);
      if (end === -1) return start;
      if (end - start > JSON_START)
        this.index.set(bytes.toString('latin1', start, start + KEY_LENGTH), { bytes, start, end });
      start = end + 1;
    }
  }
}

/** Groups records into appends of at most MAX_WRITE_BYTES, each starting with "\n" (see the file comment). */
function appendsOf(records: readonly string[]): Buffer[] {
  const writes: Buffer[] = [];
  let pending: string[] = [];
  let bytes = 1;
  const close = () => {
    if (pending.length > 0) writes.push(Buffer.from(`\n${pending.join('')}`, 'utf8'));
    pending = [];
    bytes = 1;
  };
  for (const record of records) {
    const size = Buffer.byteLength(record, 'utf8');
    if (bytes + size > MAX_WRITE_BYTES) close();
    pending.push(record);
    bytes += size;
  }
  close();
  return writes;
}

export async function appendRecords(file: string, records: readonly string[]): Promise<void> {
  const handle = await fsp.open(file, 'a');
  try {
    for (const bytes of appendsOf(records)) {
      let written = 0;
      while (written < bytes.length) written += (await handle.write(bytes, written)).bytesWritten;
    }
  } finally {
    await handle.close();
  }
}

export function appendRecordsSync(file: string, records: readonly string[]): void {
  const fd = fs.openSync(file, 'a');
  try {
    for (const bytes of appendsOf(records)) {
      let written = 0;
      while (written < bytes.length) written += fs.writeSync(fd, bytes, written);
    }
  } finally {
    fs.closeSync(fd);
  }
}

export function packFileOf(dir: string, key: string): string {
  return path.join(dir, `${key.slice(0, 2)}${PACK_SUFFIX}`);
}
