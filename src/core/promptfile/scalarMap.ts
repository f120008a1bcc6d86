// Maps an offset inside a YAML scalar's parsed value back to an offset in the file, so problems
// found inside a value (a placeholder in a message, a JSON error inside `jsonSchema: |`) point at
// the exact character. Block literals map exactly line by line; flow scalars (plain, quoted) and
// folded blocks are decoded again with offsets tracked, and the decoding is checked against the
// parser's value. When it does not agree, a greedy character alignment is the best effort.
import { Scalar } from 'yaml';

export type OffsetMapper = (valueOffset: number) => number;

const isBlank = (c: string | undefined) => c === ' ' || c === '\t';

/** Returns a mapper from offsets in `String(scalar.value)` to offsets in `text`. */
export function scalarOffsetMapper(text: string, scalar: Scalar): OffsetMapper {
  const range = scalar.range;
  const value = typeof scalar.value === 'string' ? scalar.value : String(scalar.value);
  if (!range) return () => 0;
  const [start, end] = range;
  let decoded: { chars: string; map: number[] } | undefined;
  switch (scalar.type) {
    case Scalar.BLOCK_LITERAL:
    case Scalar.BLOCK_FOLDED:
      decoded = decodeBlock(text, start, end, scalar.type === Scalar.BLOCK_FOLDED);
      break;
    case Scalar.QUOTE_DOUBLE:
      decoded = decodeFlow(text, start + 1, Math.max(start + 1, end - 1), 'double');
      break;
    case Scalar.QUOTE_SINGLE:
      decoded = decodeFlow(text, start + 1, Math.max(start + 1, end - 1), 'single');
      break;
    default:
      decoded = decodeFlow(text, start, end, 'plain');
  }
  const map = decoded && agrees(decoded.chars, value) ? decoded.map : greedyAlign(text, start, end, value);
  return (valueOffset: number) => {
    if (map.length === 0) return start;
    if (valueOffset <= 0) return map[0] ?? start;
    if (valueOffset >= value.length) {
      // Just past the last character.
      const last = map[Math.min(value.length, map.length) - 1] ?? start;
      return Math.min(end, last + 1);
    }
    return map[valueOffset] ?? start;
  };
}

// Chomping may differ in trailing line breaks; everything before them must be identical.
function agrees(decoded: string, value: string): boolean {
  return (
    decoded.replace(/\n+$/, '') === value.replace(/\n+$/, '') && decoded.length >= value.replace(/\n+$/, '').length
  );
}

function decodeBlock(
  text: string,
  start: number,
  end: number,
  folded: boolean,
): { chars: string; map: number[] } | undefined {
  const headerEnd = text.indexOf('\n', start);
  if (headerEnd < 0 || headerEnd >= end) return { chars: '', map: [] };
  const header = text.slice(start, headerEnd);
  const explicit = /[1-9]/.exec(header.replace(/#.*$/, ''));
  // Collect content lines (offset of line start, text without the line break).
  const lines: { at: number; body: string }[] = [];
  let at = headerEnd + 1;
  while (at < end) {
    let lineEnd = text.indexOf('\n', at);
    if (lineEnd < 0 || lineEnd > end) lineEnd = end;
    lines.push({ at, body: text.slice(at, lineEnd).replace(/\r$/, '') });
    at = lineEnd + 1;
  }
  if (explicit) return undefined; // Indentation relative to the parent: rare; use the alignment fallback.
  const first = lines.find((l) => l.body.trim() !== '');
  if (!first) return { chars: '', map: [] };
  const indent = first.body.length - first.body.trimStart().length;
  const chars: string[] = [];
  const map: number[] = [];
  let previousWasText = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line) continue;
    const content = line.body.length > indent ? line.body.slice(indent) : '';
    const empty = line.body.trim() === '' && line.body.length <= indent;
    if (i > 0) {
      const breakAt = line.at - 1;
      if (
        folded &&
        previousWasText &&
        !empty &&
        !isBlank(content[0]) &&
        (lines[i - 1]?.body.slice(indent)[0] ?? '') !== ' '
      ) {
        chars.push(' ');
        map.push(breakAt);
      } else if (!(folded && previousWasText && empty)) {
        chars.push('\n');
        map.push(breakAt);
      }
    }
    for (let c = 0; c < content.length; c++) {
      chars.push(content[c] ?? '');
      map.push(line.at + indent + c);
    }
    previousWasText = !empty;
  }
  return { chars: chars.join(''), map };
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  '\t': '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
};

function decodeFlow(
  text: string,
  start: number,
  end: number,
  style: 'plain' | 'single' | 'double',
): { chars: string; map: number[] } {
  const chars: string[] = [];
  const map: number[] = [];
  // Characters written as escapes (`\t`, `\ `) are content, never trimmed by line folding.
  const escaped: boolean[] = [];
  const push = (c: string, at: number, fromEscape: boolean) => {
    chars.push(c);
    map.push(at);
    escaped.push(fromEscape);
  };
  let i = start;
  while (i < end) {
    const c = text[i] ?? '';
    if (c === '\n' || (c === '\r' && text[i + 1] === '\n')) {
      // Line folding: trailing blanks before the break are dropped, leading blanks after it too;
      // one break becomes a space, each further empty line a newline.
      while (chars.length && isBlank(chars[chars.length - 1]) && !escaped[chars.length - 1]) {
        chars.pop();
        map.pop();
        escaped.pop();
      }
      const breakAt = i;
      let emptyLines = 0;
      i += c === '\r' ? 2 : 1;
      for (;;) {
        while (i < end && isBlank(text[i])) i++;
        if (text[i] === '\n') {
          emptyLines++;
          i++;
          continue;
        }
        if (text[i] === '\r' && text[i + 1] === '\n') {
          emptyLines++;
          i += 2;
          continue;
        }
        break;
      }
      if (emptyLines === 0) push(' ', breakAt, false);
      for (let k = 0; k < emptyLines; k++) push('\n', breakAt, false);
      continue;
    }
    if (style === 'single' && c === "'" && text[i + 1] === "'") {
      push("'", i, false);
      i += 2;
      continue;
    }
    if (style === 'double' && c === '\\') {
      const next = text[i + 1] ?? '';
      if (next === '\n' || next === '\r') {
        // Escaped line break: joins the lines without a space.
        i += next === '\r' && text[i + 2] === '\n' ? 3 : 2;
        while (i < end && isBlank(text[i])) i++;
        continue;
      }
      const simple = SIMPLE_ESCAPES[next];
      if (simple !== undefined) {
        push(simple, i, true);
        i += 2;
        continue;
      }
      const width = next === 'x' ? 2 : next === 'u' ? 4 : next === 'U' ? 8 : 0;
      if (width) {
        const code = Number.parseInt(text.slice(i + 2, i + 2 + width), 16);
        const decodedChar = Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : '';
        for (const unit of decodedChar.split('')) push(unit, i, true);
        i += 2 + width;
        continue;
      }
    }
    push(c, i, false);
    i++;
  }
  // A plain scalar's range never includes trailing blanks; a quoted one keeps them.
  return { chars: chars.join(''), map };
}

/** Best effort: match each value character to the next equal source character. */
function greedyAlign(text: string, start: number, end: number, value: string): number[] {
  const map: number[] = [];
  let s = start;
  for (let v = 0; v < value.length; v++) {
    const want = value[v];
    let found = -1;
    for (let k = s; k < end && k < s + 16; k++) {
      if (text[k] === want) {
        found = k;
        break;
      }
    }
    if (found >= 0) {
      map.push(found);
      s = found + 1;
    } else map.push(Math.min(s, Math.max(start, end - 1)));
  }
  return map;
}
