// Test-case generation requests (`promptlab generate`): structured output whose json_schema is
// named `promptlab_test_cases`. The reply is a pure function of the request and differs per item,
// so tests can predict the rows (docs/standin.md).
import { createHash } from 'node:crypto';
import type { ReplyRequest } from './reply';

export const GENERATION_SCHEMA_NAME = 'promptlab_test_cases';

export function isGenerationRequest(request: ReplyRequest): boolean {
  return request.responseFormat === 'json_schema' && request.jsonSchemaName === GENERATION_SCHEMA_NAME;
}

interface ItemSchema {
  properties?: Record<string, { type?: unknown }>;
}

/**
 * `{"cases": [...]}` with `minItems` items (default 1). Item k (1-based) gets, per property:
 * strings `"<property> <tag>-<k>"`, integers k, numbers k + 0.5, booleans k odd, where <tag> is the
 * first 6 hex digits of sha256 over the request's message contents. A request that lists more
 * existing cases therefore gets new values.
 */
export function generationReply(request: ReplyRequest): string {
  const schema = request.jsonSchema as
    { properties?: { cases?: { minItems?: unknown; items?: ItemSchema } } } | undefined;
  const cases = schema?.properties?.cases;
  const count = typeof cases?.minItems === 'number' && cases.minItems > 0 ? Math.min(cases.minItems, 1000) : 1;
  const properties = cases?.items?.properties ?? {};
  const tag = createHash('sha256')
    .update(request.messages.map((m) => m.content).join('\n'))
    .digest('hex')
    .slice(0, 6);
  const items = Array.from({ length: count }, (_, i) => {
    const k = i + 1;
    const item: Record<string, unknown> = {};
    for (const [name, property] of Object.entries(properties)) {
      if (property.type === 'integer') item[name] = k;
      else if (property.type === 'number') item[name] = k + 0.5;
      else if (property.type === 'boolean') item[name] = k % 2 === 1;
      else item[name] = `${name} ${tag}-${k}`;
    }
    return item;
  });
  return JSON.stringify({ cases: items });
}
