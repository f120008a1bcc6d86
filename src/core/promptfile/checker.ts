// Per-file validation state and the small helpers every part of the validator uses.
import {
  type Document,
  isAlias,
  isMap,
  isNode,
  isScalar,
  isSeq,
  type Pair,
  type Scalar,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import type { Diagnostic, DiagnosticFix, Range, Severity } from '../model';
import { KEY_CONTEXTS, type KeyContext } from './keys';
import { type LineIndex, rangeOfNode } from './positions';
import { type OffsetMapper, scalarOffsetMapper } from './scalarMap';
import { didYouMean } from './suggest';
import type { ImplicitVariable, TemplateSite } from './variables';

/** Per-file state shared by the parts of the validator. */
/** Compiles a JSON Schema the way the jsonSchema evaluator will; returns why it does not compile. */
export type SchemaCheck = (schema: Record<string, unknown>) => string | undefined;

export class Checker {
  readonly diagnostics: Diagnostic[] = [];
  readonly templates: TemplateSite[] = [];
  readonly implicitVariables: ImplicitVariable[] = [];
  // Building a scalar's offset map is linear in its length; a long message has many placeholders.
  private readonly mappers = new WeakMap<Scalar, OffsetMapper>();

  constructor(
    readonly file: string,
    readonly source: string,
    readonly index: LineIndex,
    private readonly doc: Document,
    private readonly schemaCheck: SchemaCheck | undefined,
  ) {}

  /** Why a JSON Schema does not compile (undefined when it does, or when no check was given). */
  schemaCompileError(schema: Record<string, unknown>): string | undefined {
    return this.schemaCheck?.(schema);
  }

  /** An alias (`*name`) stands for its anchored node, as gh-models' YAML reader resolved it. */
  deref(node: unknown): unknown {
    if (!isAlias(node)) return node;
    try {
      return node.resolve(this.doc) ?? node;
    } catch {
      return node;
    }
  }

  /**
   * A mapping's key/value entries with aliases resolved and `<<` merge keys expanded (own keys
   * win over merged ones), like go-yaml read them.
   */
  entries(map: YAMLMap, depth = 0): Entry[] {
    const own: Entry[] = [];
    const merged: Entry[] = [];
    for (const pair of map.items) {
      if (isMergeKey(pair)) {
        if (depth > 8) continue;
        const source = this.deref(pair.value);
        const maps = isSeq(source) ? source.items.map((i) => this.deref(i)) : [source];
        for (const m of maps) if (isMap(m)) merged.push(...this.entries(m, depth + 1));
        continue;
      }
      own.push({ key: pair.key, value: this.deref(pair.value) });
    }
    const seen = new Set(own.map((e) => entryKey(e)));
    for (const e of merged) {
      const key = entryKey(e);
      if (key !== undefined && !seen.has(key)) {
        seen.add(key);
        own.push(e);
      }
    }
    return own;
  }

  /** The entry for `key` in `map` (aliases resolved, merge keys expanded). */
  pair(map: YAMLMap, key: string): Entry | undefined {
    return this.entries(map).find((e) => entryKey(e) === key);
  }

  /** A list's items with aliases resolved. */
  items(seq: YAMLSeq): unknown[] {
    return seq.items.map((item) => this.deref(item));
  }

  /** A node as plain JS (aliases and merges applied); undefined when that fails (e.g. alias bombs). */
  toJS(node: unknown): unknown {
    try {
      return this.plain(node, 0);
    } catch (e) {
      if (!(e instanceof ExpansionLimit)) throw e;
      this.report(node, 'error', 'unreadable-value', `Cannot read this value: ${e.message}`);
      return undefined;
    }
  }

  // Values produced across the whole file; aliases can multiply a small text into a huge value.
  private plainBudget = 1_000_000;

  private plain(node: unknown, depth: number): unknown {
    if (--this.plainBudget < 0) throw new ExpansionLimit('aliases expand to too large a value');
    if (depth > 200) throw new ExpansionLimit('nested too deeply (an alias that contains itself?)');
    const resolved = this.deref(node);
    if (isScalar(resolved)) return resolved.value;
    if (isSeq(resolved)) return this.items(resolved).map((item) => this.plain(item, depth + 1));
    if (isMap(resolved)) {
      const out: Record<string, unknown> = {};
      for (const entry of this.entries(resolved)) {
        const key = isScalar(entry.key) ? entry.key.value : this.plain(entry.key, depth + 1);
        const name =
          typeof key === 'string' ? key : typeof key === 'object' && key !== null ? JSON.stringify(key) : String(key);
        // A plain object would let "__proto__" change the prototype instead of adding a key.
        Object.defineProperty(out, name, {
          value: this.plain(entry.value, depth + 1),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    }
    if (isAlias(resolved)) throw new ExpansionLimit(`alias *${resolved.source} has no anchor`);
    return resolved ?? null;
  }

  rangeOf(node: unknown, fallback?: Range): Range {
    return rangeOfNode(this.index, isNode(node) ? node : undefined, fallback);
  }

  report(at: unknown, severity: Severity, code: string, message: string, fix?: DiagnosticFix): void {
    const range = isRange(at) ? at : this.rangeOf(at);
    this.diagnostics.push({ file: this.file, range, severity, code, message, ...(fix ? { fix } : {}) });
  }

  /** Calls `each` for the mapping items of a list, in order; any other item is reported where it stands. */
  forEachMapping(seq: YAMLSeq, rule: string, noun: string, each: (item: YAMLMap, index: number) => void): void {
    this.items(seq).forEach((item, i) => {
      if (isMap(item)) each(item, i);
      else this.report(item, 'error', 'wrong-type', `${rule}; ${noun} ${i + 1} is ${describeNode(item)}`);
    });
  }

  /** Reports an error on an entry's value, or on its key when the value is empty (nothing else to point at). */
  rejectValue(entry: Entry, code: string, message: string): undefined {
    this.report(isEmptyNode(entry.value) ? entry.key : entry.value, 'error', code, message);
    return undefined;
  }

  /** Range of a map's first key: where to point "this item lacks X" problems. */
  headOf(node: unknown): Range {
    if (isMap(node)) {
      const first = node.items[0];
      if (first && isNode(first.key)) return this.rangeOf(first.key);
    }
    const whole = this.rangeOf(node);
    return {
      start: whole.start,
      end: whole.start.line === whole.end.line ? whole.end : this.index.lineRange(whole.start.line).end,
    };
  }

  /** Warn about keys this place does not know, with a did-you-mean fix. */
  checkKeys(map: YAMLMap, context: KeyContext, where: string): void {
    const known: readonly string[] = KEY_CONTEXTS[context].keys;
    for (const pair of map.items) {
      if (isMergeKey(pair)) continue;
      const key = keyText(pair);
      if (key === undefined) {
        this.report(pair.key ?? map, 'warning', 'unknown-key', `A ${where} key must be plain text`);
        continue;
      }
      // `x-` keys are the user's own (e.g. a place for YAML anchors), as in OpenAPI and Compose files.
      if (known.includes(key) || key.startsWith('x-')) continue;
      const suggestion = didYouMean(key, known);
      this.report(
        pair.key,
        'warning',
        'unknown-key',
        suggestion
          ? `Unknown key \`${key}\` in ${where} (ignored). Did you mean \`${suggestion}\`?`
          : `Unknown key \`${key}\` in ${where} (ignored). Known keys: ${known.join(', ')}.`,
        suggestion ? { kind: 'replaceKey', replacement: suggestion } : undefined,
      );
    }
  }

  /**
   * A scalar as text. Numbers and booleans give their source text (gh-models decoded them into
   * string fields as written). Maps and lists are an error; null is undefined.
   */
  text(node: unknown, label: string): string | undefined {
    if (node === null || node === undefined) return undefined;
    if (isScalar(node)) {
      if (node.value === null || node.value === undefined) return undefined;
      if (typeof node.value === 'string') return node.value;
      const r = node.range;
      return r ? this.source.slice(r[0], r[1]) : String(node.value);
    }
    // `contains: [[x: 1]]` is a list to YAML: say so, and offer the quoted text the person meant.
    const flow = (isMap(node) || isSeq(node)) && node.flow === true && node.range ? node.range : undefined;
    if (flow) {
      const lineEnd = this.source.indexOf('\n', flow[0]);
      const line = this.source
        .slice(flow[0], lineEnd < 0 ? undefined : lineEnd)
        .replace(/\s+#.*$/, '')
        .trimEnd();
      // Text after the list on the same line (`[x] and more`) belongs to the value: quote it all, no one-click fix.
      const whole = line.length > flow[1] - flow[0];
      const written = whole ? line : this.source.slice(flow[0], flow[1]);
      const quoted = JSON.stringify(written);
      this.report(
        node,
        'error',
        'wrong-type',
        `\`${label}\` must be text, not ${describeNode(node)}: YAML reads an unquoted value starting with "${written[0]}" as ${describeNode(node)}; quote it to make it text: ${quoted}`,
        whole ? undefined : { kind: 'replaceText', text: quoted },
      );
      return undefined;
    }
    this.report(node, 'error', 'wrong-type', `\`${label}\` must be text, not ${describeNode(node)}`);
    return undefined;
  }

  /** A number, checked for type (error) and range (`rangeSeverity`). */
  number(
    node: unknown,
    label: string,
    limits: { integer?: boolean; min?: number; max?: number; exclusiveMin?: boolean; rangeSeverity?: Severity } = {},
  ): number | undefined {
    if (!isScalar(node) || typeof node.value !== 'number' || Number.isNaN(node.value)) {
      const shown =
        isScalar(node) && typeof node.value === 'string' ? `text "${truncate(node.value)}"` : describeNode(node);
      this.report(
        node,
        'error',
        'wrong-type',
        `\`${label}\` must be ${limits.integer ? 'an integer' : 'a number'}, not ${shown}`,
      );
      return undefined;
    }
    const value = node.value;
    if (limits.integer && !Number.isInteger(value)) {
      this.report(node, 'error', 'wrong-type', `\`${label}\` must be an integer, not ${value}`);
      return undefined;
    }
    const tooLow = limits.min !== undefined && (limits.exclusiveMin ? value <= limits.min : value < limits.min);
    const tooHigh = limits.max !== undefined && value > limits.max;
    if (tooLow || tooHigh) {
      const severity = limits.rangeSeverity ?? 'error';
      const bounds =
        limits.min !== undefined && limits.max !== undefined
          ? `between ${limits.min} and ${limits.max}`
          : limits.min !== undefined
            ? `${limits.exclusiveMin ? 'greater than' : 'at least'} ${limits.min}`
            : `at most ${limits.max}`;
      this.report(node, severity, 'out-of-range', `\`${label}\` should be ${bounds}, got ${value}`);
      if (severity === 'error') return undefined;
    }
    return value;
  }

  /** Offsets inside a scalar's value → range in this file. */
  valueRange(scalar: Scalar, start: number, end: number): Range {
    let map = this.mappers.get(scalar);
    if (!map) {
      map = scalarOffsetMapper(this.source, scalar);
      this.mappers.set(scalar, map);
    }
    const a = map(start);
    const b = end > start ? map(end - 1) + 1 : a;
    return this.index.range(a, Math.max(a, b));
  }

  /** Record a template found in the prompt file (for variable checks). */
  addScalarTemplate(scalar: unknown, text: string, kind: TemplateSite['kind'], label: string): void {
    if (!isScalar(scalar)) return;
    this.templates.push({ text, file: this.file, kind, label, rangeOf: (s, e) => this.valueRange(scalar, s, e) });
  }
}

function isRange(value: unknown): value is Range {
  return typeof value === 'object' && value !== null && 'start' in value && 'end' in value && !isNode(value);
}

class ExpansionLimit extends Error {}

/** A key and its value (aliases resolved). */
export interface Entry {
  key: unknown;
  value: unknown;
}

export function keyText(pair: Pair | Entry): string | undefined {
  if (!isScalar(pair.key)) return undefined;
  const value = pair.key.value;
  return value === null || value === undefined || typeof value === 'symbol' ? undefined : String(value);
}

const entryKey = keyText;

// With merge keys enabled the parser gives `<<` a symbol value (a quoted '<<' stays a string).
function isMergeKey(pair: Pair): boolean {
  if (!isScalar(pair.key)) return false;
  const value = pair.key.value;
  return typeof value === 'symbol' || (value === '<<' && pair.key.type === 'PLAIN');
}

export function describeNode(node: unknown): string {
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    const v = node.value;
    if (v === null || v === undefined) return 'empty';
    if (typeof v === 'string') return `text "${truncate(v)}"`;
    if (typeof v === 'boolean') return `the boolean ${String(v)}`;
    if (typeof v === 'number') return `the number ${String(v)}`;
    return `a ${typeof v}`;
  }
  if (node === null || node === undefined) return 'empty';
  return 'an alias';
}

export function truncate(text: string, max = 40): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export const isEmptyNode = (node: unknown): boolean =>
  node === null || node === undefined || (isScalar(node) && (node.value === null || node.value === undefined));

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
