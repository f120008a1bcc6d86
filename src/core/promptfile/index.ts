// The prompt-file model: parse + validate .prompt.yml files, and the position helpers the
// editor's language features build on.
import type { FileReader, LoadResult } from '../model';
import * as parse from './parse';
import { schemaCompileError } from './schemaCheck';

export { defaultFileReader, type ParseOptions } from './parse';
export type { SchemaCheck } from './checker';
export { schemaCompileError } from './schemaCheck';

/** Parse and validate a prompt file's text (JSON Schemas compile-checked with Ajv). */
export function parsePromptFile(
  path: string,
  text: string,
  reader?: FileReader,
  options: parse.ParseOptions = {},
): Promise<LoadResult> {
  return parse.parsePromptFile(path, text, reader, { schemaCheck: schemaCompileError, ...options });
}

/** Read, parse and validate a prompt file (JSON Schemas compile-checked with Ajv). */
export function loadPromptFile(path: string, reader?: FileReader): Promise<LoadResult> {
  return parse.loadPromptFile(path, reader, { schemaCheck: schemaCompileError });
}
export {
  containsRange,
  LineIndex,
  offsetsOfNode,
  parsePromptDocument,
  rangeOfNode,
  type PromptDocument,
} from './positions';
/** Alias of parsePromptDocument (the name used in docs/engine-api). */
export { parsePromptDocument as parseYamlDocument } from './positions';
export { scalarOffsetMapper, type OffsetMapper } from './scalarMap';
export { locateJsonError, parseJson } from './json';
export { didYouMean, editDistance } from './suggest';
export { parseTestDataText, testDataFormat, type TestDataFormat } from './testData';
export {
  BUILTIN_EVALUATORS,
  BUILTINS_USING_EXPECTED,
  GENERATED_MARKER,
  EVALUATOR_KIND_KEYS,
  KEY_CONTEXTS,
  ROLES,
  STRING_CRITERIA,
  TEST_DATA_EXTENSIONS,
  type KeyContext,
} from './keys';
