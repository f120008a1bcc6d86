// Editor language services for prompt files: pure functions of the text (and of the last
// validated model), so they are tested with plain Node and shared by any editor front end.
import promptSchema from '../../../schemas/prompt.schema.json';
import { SchemaDocs, type JsonSchema } from './schemaDocs';

export {
  complete,
  modelIdsFromConfig,
  testDataKeysInText,
  type CompletionEntry,
  type CompletionKind,
  type CompletionOptions,
} from './completion';
export { IncrementalPromptParser } from './incremental';
export { hover, keyAt, type HoverOptions, type HoverResult } from './hover';
export {
  cursorContext,
  parseLine,
  schemaShape,
  StructureScanner,
  type CursorContext,
  type PathSegment,
} from './lineContext';
export {
  ADDED_VARIABLE_VALUE,
  addVariableEdits,
  quickFixes,
  type QuickFix,
  type QuickFixInput,
  type TextEdit,
} from './quickFixes';
export { fileReferences, referenceAt, type FileReference } from './references';
export { SchemaDocs, type JsonSchema, type KeyInfo } from './schemaDocs';
export { documentSymbols, nodeRange, type OutlineKind, type OutlineSymbol } from './symbols';

/** Key documentation from schemas/prompt.schema.json (bundled into the extension). */
export const promptSchemaDocs = new SchemaDocs(promptSchema as JsonSchema);
