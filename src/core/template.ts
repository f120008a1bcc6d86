// Templating exactly as `gh models eval` did it, plus one extension.
//
// gh-models: `{{key}}` is replaced by the case's value for `key` as text; a placeholder with no
// value stays in the text unchanged; no escaping, loops or conditionals.
// Extension: `{{ key }}` (whitespace inside the braces) is also replaced. gh-models left it alone,
// so the validator reports it (code `spaced-placeholder`) for files meant to run in both tools.
//
// Substitution is a single left-to-right pass: a value that itself contains `{{other}}` is NOT
// expanded again. (gh-models replaced key by key in Go map order, so such nesting gave
// run-to-run differences there; a single pass is the deterministic reading.)

export interface Placeholder {
  /** The variable name, without braces or surrounding whitespace. */
  name: string;
  /** Offset of the first `{`. */
  start: number;
  /** Offset just past the last `}`. */
  end: number;
  /** True for `{{ name }}`: whitespace between the braces and the name. */
  spaced: boolean;
}

// Inner text: anything without braces or line breaks. The name is the trimmed inner text.
const PLACEHOLDER = /\{\{([^{}\r\n]*)\}\}/g;

/** Every `{{name}}` / `{{ name }}` in `text`, in order. `{{}}` and `{{  }}` are not placeholders. */
export function findPlaceholders(text: string): Placeholder[] {
  const found: Placeholder[] = [];
  for (const match of text.matchAll(PLACEHOLDER)) {
    const inner = match[1] ?? '';
    const name = inner.trim();
    if (name === '') continue;
    const start = match.index;
    found.push({ name, start, end: start + match[0].length, spaced: name !== inner });
  }
  return found;
}

/**
 * A variable's value as text: strings as they are, numbers/booleans/bigints in their default
 * string form (`3`, `0.5`, `true`), `null` as `null`, objects and arrays as compact JSON.
 */
export function formatValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value === null) return 'null';
  if (value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    // Cyclic values cannot come from YAML/JSON test data; print something rather than throw.
    return String(value);
  }
}

function hasValue(vars: Record<string, unknown>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(vars, key) && vars[key] !== undefined;
}

/** Replace every placeholder that has a value in `vars`; leave the others unchanged. */
export function renderTemplate(template: string, vars: Record<string, unknown>): string {
  if (!template.includes('{{')) return template;
  return template.replace(PLACEHOLDER, (whole: string, inner: string) => {
    // The exact inner text wins (gh-models looks up `{{key}}` literally); the trimmed name is our extension.
    if (hasValue(vars, inner)) return formatValue(vars[inner]);
    const name = inner.trim();
    if (name !== '' && hasValue(vars, name)) return formatValue(vars[name]);
    return whole;
  });
}

/** Names of the placeholders in `text` that have no value in `vars` (each name once, in order). */
export function missingVariables(text: string, vars: Record<string, unknown>): string[] {
  const missing: string[] = [];
  for (const p of findPlaceholders(text)) {
    if (!hasValue(vars, p.name) && !missing.includes(p.name)) missing.push(p.name);
  }
  return missing;
}
