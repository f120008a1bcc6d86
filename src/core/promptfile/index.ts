// The prompt-file model: parse + validate .prompt.yml files, and the position helpers the
// editor's language features build on.
export { defaultFileReader, loadPromptFile, parsePromptFile, type ParseOptions } from './parse';
export { containsRange, LineIndex, offsetsOfNode, parsePromptDocument, rangeOfNode, type PromptDocument } from './positions';
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
