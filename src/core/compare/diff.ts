// Word-level differences between two outputs as a serializable segment list.
// diffWordsWithSpace keeps every character, so A and B are always reconstructible from the segments
// (the view renders them as text spans; nothing is ever interpreted as HTML).

import { diffWordsWithSpace } from 'diff';
import type { DiffSegment, OutputDiff } from './types';

export const DEFAULT_DISPLAY_LIMIT = 20_000;
/** Hard bound on the diff's edit distance (in tokens): beyond it the texts are shown as replaced wholesale. */
const MAX_EDIT_LENGTH = 2_000;

const MIN_EDIT_BUDGET = 16;

/** Words and the whitespace runs between them, counted the way diffWordsWithSpace splits them (roughly). */
function approximateTokens(text: string): number {
  let count = 0;
  const re = /\s+/g;
  while (re.exec(text)) count++;
  return count * 2 + 1;
}

export interface Truncated {
  text: string;
  truncated: boolean;
  length: number;
}

/** Cut a huge output for display; the full text stays in the run file. */
export function truncateForDisplay(text: string, limit = DEFAULT_DISPLAY_LIMIT): Truncated {
  if (text.length <= limit) return { text, truncated: false, length: text.length };
  // Do not split a surrogate pair.
  let end = limit;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return { text: text.slice(0, end), truncated: true, length: text.length };
}

export function diffOutputs(a: string, b: string, displayLimit = DEFAULT_DISPLAY_LIMIT): OutputDiff {
  const left = truncateForDisplay(a, displayLimit);
  const right = truncateForDisplay(b, displayLimit);
  const truncated = left.truncated || right.truncated;
  if (left.text === right.text)
    return { segments: left.text ? [{ op: 'equal', text: left.text }] : [], truncated, coarse: false };
  // Past an edit distance of about half the tokens the texts are mostly different: a word diff would
  // be confetti, and Myers' cost grows with the distance, so stop there and show a replacement.
  const tokens = approximateTokens(left.text) + approximateTokens(right.text);
  const budget = Math.min(MAX_EDIT_LENGTH, Math.max(MIN_EDIT_BUDGET, Math.ceil(tokens * 0.5)));
  const changes = diffWordsWithSpace(left.text, right.text, { maxEditLength: budget });
  if (!changes) {
    const segments: DiffSegment[] = [];
    if (left.text) segments.push({ op: 'delete', text: left.text });
    if (right.text) segments.push({ op: 'insert', text: right.text });
    return { segments, truncated, coarse: true };
  }
  const raw: DiffSegment[] = changes.map((c) => ({
    op: c.added ? 'insert' : c.removed ? 'delete' : 'equal',
    text: c.value,
  }));
  return { segments: tidySegments(raw), truncated, coarse: false };
}

/**
 * Make a diff readable: a lone run of whitespace kept "equal" between two changes is folded into the
 * change (so "the cat" → "a dog" reads as one replacement, not word/space/word confetti), and each
 * change group is emitted as all deletions then all insertions.
 */
export function tidySegments(segments: readonly DiffSegment[]): DiffSegment[] {
  const out: DiffSegment[] = [];
  let deleted = '';
  let inserted = '';
  let carried = '';
  const flush = (): void => {
    // Whitespace that ends both sides of a replacement belongs to the unchanged text after it.
    if (deleted && inserted) {
      const tail = commonWhitespaceSuffix(deleted, inserted);
      if (tail) {
        deleted = deleted.slice(0, -tail.length);
        inserted = inserted.slice(0, -tail.length);
        carried = tail;
      }
    }
    if (deleted) out.push({ op: 'delete', text: deleted });
    if (inserted) out.push({ op: 'insert', text: inserted });
    deleted = '';
    inserted = '';
  };
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i] as DiffSegment;
    if (s.op === 'delete') deleted += s.text;
    else if (s.op === 'insert') inserted += s.text;
    else {
      const inChange = deleted !== '' || inserted !== '';
      const next = segments[i + 1];
      if (inChange && /^\s+$/.test(s.text) && next && next.op !== 'equal') {
        deleted += s.text;
        inserted += s.text;
        continue;
      }
      flush();
      const text = carried + s.text;
      carried = '';
      const last = out[out.length - 1];
      if (last && last.op === 'equal') last.text += text;
      else out.push({ op: 'equal', text });
    }
  }
  flush();
  if (carried) out.push({ op: 'equal', text: carried });
  return out;
}

function commonWhitespaceSuffix(x: string, y: string): string {
  let n = 0;
  while (
    n < x.length &&
    n < y.length &&
    x[x.length - 1 - n] === y[y.length - 1 - n] &&
    /\s/.test(x[x.length - 1 - n] as string)
  )
    n++;
  // Keep at least one visible character in each side.
  n = Math.min(n, x.length - 1, y.length - 1);
  return n > 0 ? x.slice(x.length - n) : '';
}

/** The A side (equal + delete) or B side (equal + insert) of a segment list. */
export function sideText(segments: readonly DiffSegment[], side: 'a' | 'b'): string {
  const skip = side === 'a' ? 'insert' : 'delete';
  return segments
    .filter((s) => s.op !== skip)
    .map((s) => s.text)
    .join('');
}
