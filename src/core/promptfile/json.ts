// JSON parsing that reports WHERE it failed. JSON.parse gives the value (native speed, exactly JSON's
// semantics) but often no position ("Unexpected token '}', ... is not valid JSON"), so on failure
// Microsoft's jsonc-parser, in strict mode, finds the first error and its offset.
import { findNodeAtOffset, type Node, type ParseError, parseTree, printParseErrorCode, visit } from 'jsonc-parser';

/** jsonc-parser's error codes by name (its `ParseErrorCode` is a const enum, which isolated modules cannot read). */
type ErrorCode = ReturnType<typeof printParseErrorCode>;
interface JsonError {
  code: ErrorCode;
  offset: number;
  length: number;
}

export type JsonParse =
  { ok: true; value: unknown; elementSpans?: [number, number][] } | { ok: false; offset: number; message: string };

/** Plain JSON: no comments, no trailing commas, no empty text. */
const STRICT = { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false };

/** Parse JSON; on failure give the offset of the first bad character and a short reason. */
export function parseJson(text: string, options: { topLevelSpans?: boolean } = {}): JsonParse {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const located = locateJsonError(text);
    if (located) return { ok: false, offset: located.offset, message: located.message };
    const position = /position (\d+)/.exec(e instanceof Error ? e.message : '');
    return {
      ok: false,
      offset: position ? Number(position[1]) : 0,
      message: e instanceof Error ? e.message : String(e),
    };
  }
  if (!options.topLevelSpans) return { ok: true, value };
  return { ok: true, value, elementSpans: topLevelElementSpans(text) };
}

/**
 * Where each element of a top-level array starts and ends (valid JSON only); undefined when the
 * value is not an array or nests deeper than the parser's recursion can go. One pass of
 * jsonc-parser's visitor that skips the callbacks inside each element: building its whole tree for
 * these spans took 3× as long on a 5,000-case file.
 */
function topLevelElementSpans(text: string): [number, number][] | undefined {
  const spans: [number, number][] = [];
  let rootIsArray = false;
  // 0 outside the value, 1 inside the top-level container, 2 inside one of its elements.
  let depth = 0;
  let elementStart = 0;
  const begin = (offset: number, isArray: boolean): boolean => {
    if (depth === 0) {
      depth = 1;
      rootIsArray = isArray;
      return isArray; // a top-level object: nothing inside it is needed
    }
    depth = 2;
    elementStart = offset;
    return false; // its inside calls back no more until its own end
  };
  const end = (offset: number, length: number): void => {
    if (depth === 2) spans.push([elementStart, offset + length]);
    depth--;
  };
  try {
    visit(
      text,
      {
        onArrayBegin: (offset) => begin(offset, true),
        onObjectBegin: (offset) => begin(offset, false),
        onArrayEnd: end,
        onObjectEnd: end,
        onLiteralValue: (_value, offset, length) => {
          if (depth === 1) spans.push([offset, offset + length]);
        },
      },
      STRICT,
    );
  } catch (e) {
    if (e instanceof RangeError) return undefined;
    throw e;
  }
  return rootIsArray ? spans : undefined;
}

/** The first grammar error in `text`, or undefined when the text is valid JSON. */
export function locateJsonError(text: string): { offset: number; message: string } | undefined {
  const parseErrors: ParseError[] = [];
  const root = treeOf(text, parseErrors);
  const errors: JsonError[] = parseErrors.map((e) => ({
    code: printParseErrorCode(e.error),
    offset: e.offset,
    length: e.length,
  }));
  const first = errors[0];
  if (!first) return undefined;
  // A bad string token that is also out of place: being out of place comes first in reading order.
  const misplaced = errors.find((e) => e !== first && e.offset === first.offset && !isStringError(e.code));
  if (isStringError(first.code) && !misplaced) return stringError(text, first.offset, first.offset + first.length);
  if (first.code === 'UnexpectedEndOfNumber' || first.code === 'InvalidNumberFormat') {
    // Point where the number stops being one (`2.` at the dot), not at its first digit.
    const valid = JSON_NUMBER.exec(text.slice(first.offset, first.offset + first.length))?.[0] ?? '';
    return { offset: first.offset + valid.length, message: 'Bad number' };
  }
  const error = misplaced ?? first;
  // jsonc-parser reads `truex` as one unknown word; the error is where the keyword ends.
  const keyword = error.code === 'InvalidSymbol' ? /^(true|false|null)/.exec(text.slice(error.offset)) : null;
  const offset = error.offset + (keyword?.[0].length ?? 0);
  if (keyword && !containerAt(root, offset))
    return { offset, message: `Unexpected ${describe(text[offset])} after the JSON value` };
  return { offset, message: misplacedMessage(text, root, offset, keyword ? undefined : error.code) };
}

const JSON_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/;

const isStringError = (code: ErrorCode): boolean =>
  code === 'UnexpectedEndOfString' ||
  code === 'InvalidCharacter' ||
  code === 'InvalidEscapeCharacter' ||
  code === 'InvalidUnicode';

/** jsonc-parser's tree; undefined when the text nests deeper than its recursion can go (JSON.parse copes). */
function treeOf(text: string, errors: ParseError[]): Node | undefined {
  try {
    return parseTree(text, errors, STRICT);
  } catch (e) {
    if (e instanceof RangeError) return undefined;
    throw e;
  }
}

function describe(c: string | undefined): string {
  if (c === undefined) return 'end of text';
  if (c === '\n' || c === '\r') return 'line break';
  return `'${c}'`;
}

/** jsonc-parser reports a bad string at its opening quote: find the character that breaks it. */
function stringError(text: string, start: number, end: number): { offset: number; message: string } {
  for (let i = start + 1; i < end; i++) {
    if (text.charCodeAt(i) < 0x20)
      return { offset: i, message: `Control character ${describe(text[i])} inside a string (escape it)` };
    if (text[i] !== '\\') continue;
    const escape = text[i + 1];
    if (escape === 'u' && !/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6)))
      return { offset: i + 1, message: 'Bad \\u escape' };
    if (escape !== 'u' && (escape === undefined || !'"\\/bfnrt'.includes(escape)))
      return { offset: i + 1, message: `Bad escape \\${escape ?? ''}` };
    i++;
  }
  // Nothing inside is wrong: a line break or the end of the text comes before the closing quote.
  if (end >= text.length) return { offset: end, message: 'Unterminated string' };
  return { offset: end, message: `Control character ${describe(text[end])} inside a string (escape it)` };
}

/** A token where the grammar does not allow it: say what was expected there. */
function misplacedMessage(text: string, root: Node | undefined, offset: number, code?: ErrorCode): string {
  const found = describe(text[offset]);
  const beforeAt = text.slice(0, offset).trimEnd().length - 1;
  const before = text[beforeAt];
  // The parser names the container it could not close at the end of the text.
  const container =
    code === 'CloseBraceExpected'
      ? 'object'
      : code === 'CloseBracketExpected'
        ? 'array'
        : containerAt(root, offset)?.type;
  // A number runs on (`01`, `1.5.3`): jsonc-parser reads two tokens; it is one bad number.
  if (/[\d.eE]/.test(text[offset] ?? '') && /\d/.test(text[offset - 1] ?? '')) return 'Bad number';
  if (container === undefined && root && offset >= root.offset + root.length && offset < text.length)
    return `Unexpected ${found} after the JSON value`;
  if (before === '{' || (before === ',' && container === 'object'))
    return `Expected a double-quoted property name, found ${found}`;
  if (code === 'ColonExpected' || isPropertyName(root, beforeAt))
    return `Expected ':' after the property name, found ${found}`;
  if (container && before !== ':' && before !== '[' && before !== ',')
    return container === 'object'
      ? `Expected ',' or '}' in object, found ${found}`
      : `Expected ',' or ']' in array, found ${found}`;
  if (offset >= text.length) return 'Unexpected end of JSON';
  return text[offset] === '-' ? 'Bad number' : `Unexpected ${found}: expected a JSON value`;
}

/** The innermost object or array that `offset` is strictly inside. */
function containerAt(root: Node | undefined, offset: number): Node | undefined {
  for (let node = root && findNodeAtOffset(root, offset); node; node = node.parent)
    if ((node.type === 'object' || node.type === 'array') && node.offset < offset) return node;
  return undefined;
}

/** Whether the character at `at` ends a property name (the key string of a property). */
function isPropertyName(root: Node | undefined, at: number): boolean {
  const node = root && at >= 0 ? findNodeAtOffset(root, at) : undefined;
  return node?.type === 'string' && node.parent?.type === 'property' && node.parent.children?.[0] === node;
}
