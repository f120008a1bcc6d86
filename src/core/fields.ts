// Objects whose optional fields are left out when unset, for outputs compared as text or by keys
// (`eval --json`, the editor's JSON export): a field is either there with a value or not there.

/**
 * A copy of `fields` without the keys whose value is `undefined`; the others keep their order, so
 * an object literal written in output order gives the output's key order.
 */
export function definedFields<T extends object>(fields: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) out[key] = value;
  return out as T;
}
