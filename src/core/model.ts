// The prompt-file model shared by every consumer (CLI, extension, webviews via protocol).
// Positions are 0-based internally (like LSP / vscode); the CLI prints them 1-based.

export interface Position {
  line: number;
  column: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export type Severity = 'error' | 'warning' | 'info';

/** Data that lets an editor offer a quick fix without re-deriving the problem. */
export type DiagnosticFix =
  | { kind: 'replaceKey'; replacement: string }
  | { kind: 'addVariable'; variable: string }
  | { kind: 'removeKey' }
  /** Replace the text of the diagnostic's range (e.g. a misspelled role, `{{ x }}` → `{{x}}`). */
  | { kind: 'replaceText'; text: string };

export interface Diagnostic {
  /** Absolute or workspace-relative path of the file the range points into. */
  file: string;
  range: Range;
  severity: Severity;
  /** Stable machine-readable id, e.g. `unknown-key`, `missing-variable`. */
  code: string;
  message: string;
  fix?: DiagnosticFix;
}

export type Role = 'system' | 'user' | 'assistant';

export const RESPONSE_FORMATS = ['text', 'json_object', 'json_schema'] as const;
export type ResponseFormat = (typeof RESPONSE_FORMATS)[number];

export interface ModelParameters {
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  presencePenalty?: number;
  frequencyPenalty?: number;
  stop?: string[];
  seed?: number;
}

export interface Message {
  role: Role;
  /** The template text (from the file, or from `content: {file: …}` once resolved). */
  content: string;
  /** Set when the content came from `content: {file: path}` (path as written, relative to the prompt file). */
  contentFile?: string;
  range: Range;
  /** Range of the content value in the prompt file. */
  contentRange: Range;
}

/** One test case: free-form variables. `index` is its 0-based position in the test data. */
export interface TestCase {
  index: number;
  vars: Record<string, unknown>;
  /** Range of the case in the prompt file, or of its line in an external test-data file. */
  range: Range;
  /** Set when the case came from an external test-data file (absolute path). */
  sourceFile?: string;
  /** The `_generated` marker of a row `promptlab generate` added (not a variable). */
  generated?: string;
}

export interface JsonSchemaSpec {
  name: string;
  schema: Record<string, unknown>;
  strict?: boolean;
  description?: string;
  /** The JSON text as written in the file. */
  raw: string;
}

export interface LlmChoice {
  choice: string;
  score: number;
}

export type StringCriterion = 'equals' | 'contains' | 'startsWith' | 'endsWith';

interface EvaluatorBase {
  name: string;
  range: Range;
}

/** gh-models `string`: exactly one criterion is used, checked in the order equals, contains, startsWith, endsWith. */
export interface StringEvaluator extends EvaluatorBase {
  kind: 'string';
  criterion: StringCriterion;
  value: string;
}

/** gh-models `llm` (substring choice matching) or our structured mode (`mode: structured`, JSON {score, reason}). */
export interface LlmEvaluator extends EvaluatorBase {
  kind: 'llm';
  modelId: string;
  prompt: string;
  systemPrompt?: string;
  choices: LlmChoice[];
  mode: 'choices' | 'structured';
  /** Structured mode: pass when score ≥ threshold (default 0.5). */
  threshold?: number;
}

/** gh-models `uses: github/<name>` built-in judges. */
export interface BuiltinEvaluator extends EvaluatorBase {
  kind: 'builtin';
  uses: string;
}

export interface RegexEvaluator extends EvaluatorBase {
  kind: 'regex';
  pattern: string;
  flags: string;
}

export interface NotContainsEvaluator extends EvaluatorBase {
  kind: 'notContains';
  value: string;
}

export interface JsonEvaluator extends EvaluatorBase {
  kind: 'json';
}

export interface JsonSchemaEvaluator extends EvaluatorBase {
  kind: 'jsonSchema';
  /** Inline schema; when absent the file's `jsonSchema.schema` is used. */
  schema?: Record<string, unknown>;
}

export interface LengthEvaluator extends EvaluatorBase {
  kind: 'length';
  min?: number;
  max?: number;
}

export interface LatencyEvaluator extends EvaluatorBase {
  kind: 'latencyMs';
  max: number;
}

export interface CostEvaluator extends EvaluatorBase {
  kind: 'costUsd';
  max: number;
}

export interface SimilarityEvaluator extends EvaluatorBase {
  kind: 'similarity';
  /** Template for the reference text (default `{{expected}}`). */
  expected: string;
  threshold: number;
  /** Embedding model id (resolved like any model id). */
  modelId?: string;
}

export type EvaluatorSpec =
  | StringEvaluator
  | LlmEvaluator
  | BuiltinEvaluator
  | RegexEvaluator
  | NotContainsEvaluator
  | JsonEvaluator
  | JsonSchemaEvaluator
  | LengthEvaluator
  | LatencyEvaluator
  | CostEvaluator
  | SimilarityEvaluator;

export type EvaluatorKind = EvaluatorSpec['kind'];

/** A parsed, validated prompt file. Fields that failed validation are absent or defaulted; see diagnostics. */
export interface PromptFile {
  /** Absolute path. */
  path: string;
  /** The exact text that was parsed (hash it for run headers). */
  text: string;
  name?: string;
  description?: string;
  model?: string;
  modelParameters: ModelParameters;
  responseFormat?: ResponseFormat;
  jsonSchema?: JsonSchemaSpec;
  messages: Message[];
  testData: TestCase[];
  /** `testData: path` as written, when the cases come from a file. */
  testDataFile?: string;
  evaluators: EvaluatorSpec[];
  /** Our extension: samples per case. Default 1. */
  repeat: number;
  /**
   * `repeat: {n, passRate}`: share of samples (0..1) that must pass for the case to pass.
   * Absent: every sample must pass (pass^k), as with the integer form.
   */
  repeatPassRate?: number;
  /** Range of each top-level key (for outline, hover, code lenses). */
  keyRanges: Record<string, Range>;
  /** Range of the `evaluators` value: diagnostics inside it do not concern a plain rendering (`run`). */
  evaluatorsRange?: Range;
}

export interface LoadResult {
  /** Absent only when the text is not a YAML mapping at all. */
  prompt?: PromptFile;
  diagnostics: Diagnostic[];
}

/** How core reads files referenced by a prompt file; the editor passes one that sees unsaved buffers. */
export interface FileReader {
  readFile(absolutePath: string): Promise<string>;
}
