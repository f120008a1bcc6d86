// Checks that a JSON Schema compiles with Ajv, the way the jsonSchema evaluator will compile it
// (draft-07 by default, 2020-12 when `$schema` says so; `$id` ignored so files may reuse ids).
import Ajv from 'ajv';
import Ajv2020 from 'ajv/dist/2020';

// Creating an Ajv instance costs tens of milliseconds (it compiles the meta-schema); share one per draft.
let draft07: Ajv | undefined;
let draft2020: Ajv2020 | undefined;

/** Why `schema` does not compile, or undefined when it does. */
export function schemaCompileError(schema: Record<string, unknown>): string | undefined {
  const declared = typeof schema.$schema === 'string' ? schema.$schema : '';
  const ajv = declared.includes('2020-12')
    ? (draft2020 ??= new Ajv2020({ strict: false }))
    : (draft07 ??= new Ajv({ strict: false }));
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
