// Our extensions: the reply is valid JSON (`json`), and it validates against a JSON Schema
// (`jsonSchema`: the evaluator's inline schema, else the prompt file's `jsonSchema.schema`).
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import type { JsonEvaluator, JsonSchemaEvaluator } from '../model';
import { type EvaluationContext, type EvaluationResult, errorMessage, evaluatorError, snippet, verdict } from './types';

const MAX_LISTED_ERRORS = 5;

type ParseOutcome = { ok: true; value: unknown } | { ok: false; message: string };

function parseJson(text: string): ParseOutcome {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    const fenced = /^```/.test(text) ? ' (the reply is wrapped in a ``` code fence)' : '';
    return { ok: false, message: `${errorMessage(error)}${fenced}` };
  }
}

export function evaluateJson(spec: JsonEvaluator, ctx: EvaluationContext): EvaluationResult {
  const parsed = parseJson(ctx.output);
  return parsed.ok
    ? verdict(spec.name, true, 'Valid JSON')
    : verdict(spec.name, false, `Not valid JSON: ${parsed.message}: ${snippet(ctx.output, 120)}`);
}

// One Ajv instance per draft, created on first use; compiled validators are cached per schema object
// so a 1,000-case run compiles each schema once.
let draft07: Ajv | undefined;
let draft2020: Ajv2020 | undefined;
const compiled = new WeakMap<object, ValidateFunction>();

function validatorFor(schema: Record<string, unknown>): ValidateFunction {
  const cached = compiled.get(schema);
  if (cached) return cached;
  const declared = typeof schema.$schema === 'string' ? schema.$schema : '';
  const ajv = declared.includes('2020-12')
    ? (draft2020 ??= new Ajv2020({ allErrors: true, strict: false }))
    : (draft07 ??= new Ajv({ allErrors: true, strict: false }));
  // Compile without registering the schema by its $id, so two files may reuse an id.
  const { $id: _ignored, ...anonymous } = schema;
  const validate = ajv.compile(anonymous);
  compiled.set(schema, validate);
  return validate;
}

function describeError(error: ErrorObject): string {
  const pointer = error.instancePath === '' ? '/' : error.instancePath;
  const extra =
    error.keyword === 'additionalProperties'
      ? ` '${String((error.params as { additionalProperty?: unknown }).additionalProperty)}'`
      : '';
  return `${pointer}: ${error.message ?? error.keyword}${extra}`;
}

export function evaluateJsonSchema(spec: JsonSchemaEvaluator, ctx: EvaluationContext): EvaluationResult {
  const schema = spec.schema ?? ctx.jsonSchema?.schema;
  if (!schema)
    return evaluatorError(spec.name, 'No schema: give the evaluator a `schema` or the prompt file a `jsonSchema`');
  let validate: ValidateFunction;
  try {
    validate = validatorFor(schema);
  } catch (error) {
    return evaluatorError(spec.name, `Invalid JSON Schema: ${errorMessage(error)}`);
  }
  const parsed = parseJson(ctx.output);
  if (!parsed.ok) return verdict(spec.name, false, `Not valid JSON: ${parsed.message}: ${snippet(ctx.output, 120)}`);
  if (validate(parsed.value)) return verdict(spec.name, true, 'Matches the JSON Schema');
  const errors = validate.errors ?? [];
  const listed = errors.slice(0, MAX_LISTED_ERRORS).map(describeError);
  const more = errors.length > MAX_LISTED_ERRORS ? `; and ${errors.length - MAX_LISTED_ERRORS} more` : '';
  return verdict(spec.name, false, `Does not match the JSON Schema: ${listed.join('; ')}${more}`);
}
