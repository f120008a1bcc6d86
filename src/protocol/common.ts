// Runtime validation shared by every webview protocol. Messages cross a trust boundary
// (the webview renders untrusted model output), so each side checks what it receives
// with these small composable guards instead of trusting a cast. The contract files import
// them as one vocabulary: `import * as v from './common'` (v.objectOf, v.isString …).

import type { TokenUsage } from '../core/run/types';

export type Guard<T> = (value: unknown) => value is T;

/** The type a guard narrows to. */
export type Guarded<G> = G extends Guard<infer T> ? T : never;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isString(value: unknown): value is string {
  return typeof value === 'string';
}

export function isBoolean(value: unknown): value is boolean {
  return typeof value === 'boolean';
}

/** A finite number (NaN and ±Infinity never describe a real measurement). */
export function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

export function isIndex(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

export function isUnknown(_value: unknown): _value is unknown {
  return true;
}

export function literal<const T extends string>(...allowed: T[]): Guard<T> {
  return (value: unknown): value is T => typeof value === 'string' && (allowed as string[]).includes(value);
}

export function optional<T>(guard: Guard<T>): Guard<T | undefined> {
  return (value: unknown): value is T | undefined => value === undefined || guard(value);
}

export function nullable<T>(guard: Guard<T>): Guard<T | null> {
  return (value: unknown): value is T | null => value === null || guard(value);
}

export function arrayOf<T>(guard: Guard<T>, maxLength = 1_000_000): Guard<T[]> {
  return (value: unknown): value is T[] => Array.isArray(value) && value.length <= maxLength && value.every(guard);
}

export function recordOf<T>(guard: Guard<T>): Guard<Record<string, T>> {
  return (value: unknown): value is Record<string, T> => isRecord(value) && Object.values(value).every(guard);
}

type Shape = Record<string, Guard<unknown>>;
type OptionalKeys<S extends Shape> = { [K in keyof S]: undefined extends Guarded<S[K]> ? K : never }[keyof S];
type RequiredKeys<S extends Shape> = Exclude<keyof S, OptionalKeys<S>>;
export type ShapeType<S extends Shape> = { [K in RequiredKeys<S>]: Guarded<S[K]> } & {
  [K in OptionalKeys<S>]?: Guarded<S[K]>;
};

export const isNullableNumber: Guard<number | null> = nullable(isNumber);
export const isOptionalString: Guard<string | undefined> = optional(isString);

/** An object whose listed keys pass their guards; unlisted keys are allowed (newer senders may add fields). */
export function objectOf<S extends Shape>(shape: S): Guard<ShapeType<S>> {
  const entries = Object.entries(shape);
  return (value: unknown): value is ShapeType<S> =>
    isRecord(value) && entries.every(([key, guard]) => guard(value[key]));
}

// Core shapes that more than one contract carries.

export const isTokenUsage: Guard<TokenUsage> = objectOf({
  prompt: isNumber,
  completion: isNumber,
  total: isNumber,
  cachedPrompt: optional(isNumber),
});

/** A test case's variables: any values, by name. */
export const isVars: Guard<Record<string, unknown>> = recordOf(isUnknown);

/** A discriminated union keyed by `type`: picks the guard for the message's type, rejects unknown types. */
export function unionByType<T extends { type: string }>(guards: {
  [K in T['type']]: Guard<Extract<T, { type: K }>>;
}): Guard<T> {
  const table = guards as Record<string, Guard<T>>;
  return (value: unknown): value is T => {
    if (!isRecord(value) || typeof value.type !== 'string' || !Object.hasOwn(table, value.type)) return false;
    const guard = table[value.type];
    return guard !== undefined && guard(value);
  };
}

/** A short, safe description of a rejected message for logs (never the whole payload: it may be large). */
export function describeRejected(value: unknown): string {
  if (isRecord(value))
    return `message of type ${JSON.stringify(String(value.type).slice(0, 40))} with keys [${Object.keys(value).slice(0, 10).join(', ')}]`;
  return `non-object message (${value === null ? 'null' : typeof value})`;
}
