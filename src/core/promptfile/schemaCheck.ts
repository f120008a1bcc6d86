// Checks that a JSON Schema compiles with Ajv, the way the jsonSchema evaluator will compile it
// (draft-07 by default, 2020-12 when `$schema` says so; `$id` ignored so files may reuse ids).
import type Ajv from 'ajv';
import type Ajv2020 from 'ajv/dist/2020';

// Creating an Ajv instance costs tens of milliseconds (it compiles the meta-schema); share one per draft.
// Ajv itself is loaded on the first schema to check: most prompt files have none, and loading it
// costs a CLI command (validate, estimate) tens of milliseconds more.
let draft07: Ajv | undefined;
let draft2020: Ajv2020 | undefined;

/* eslint-disable @typescript-eslint/no-require-imports -- lazy, synchronous loads (see above) */
const newDraft07 = (): Ajv => new (require('ajv') as { default: typeof Ajv }).default({ strict: false });
const newDraft2020 = (): Ajv2020 =>
  new (require('ajv/dist/2020') as { default: typeof Ajv2020 }).default({ strict: false });
/* eslint-enable @typescript-eslint/no-require-imports */

/** Why `schema` does not compile, or undefined when it does. */
export function schemaCompileError(schema: Record<string, unknown>): string | undefined {
  const declared = typeof schema.$schema === 'string' ? schema.$schema : '';
  const ajv = declared.includes('2020-12') ? (draft2020 ??= newDraft2020()) : (draft07 ??= newDraft07());
  const { $id: _ignored, ...anonymous } = schema;
  try {
    ajv.compile(anonymous);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  } finally {
    // Only checked here; dropping it keeps Ajv's cache from growing with every edit in the editor.
    ajv.removeSchema(anonymous);
  }
}
