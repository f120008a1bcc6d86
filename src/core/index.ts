// Public facade of the engine: the CLI, the extension and tests import from here.
// Each area keeps its own index; this file only gathers them.

// Prompt-file model and templating.
export * from './model';
export * from './errors';
export * from './promptfile';
export { findPlaceholders, formatValue, missingVariables, renderTemplate, type Placeholder } from './template';

// Providers.
export type {
  ChatMessage,
  ChatRequest,
  ChatResponse,
  ModelPrice,
  ModelResolver,
  PriceSource,
  PriceTier,
  Provider,
  ResolvedModel,
  RetryInfo,
} from './providers/types';
export {
  CONFIG_FILE_NAMES,
  OPENAI_DEFAULT_BASE_URL,
  PROVIDER_PRESETS,
  emptyProviderConfig,
  loadProviderConfig,
  parseProviderConfig,
  type ModelRoute,
  type ProviderConfig,
  type ProviderEntry,
  type ProviderPreset,
} from './providers/config';
export { ModelResolutionError, createResolver, type ResolverOptions } from './providers/resolver';
export {
  listConfiguredModels,
  listModelsAt,
  type EndpointListOptions,
  type EndpointModels,
  type ListModelsOptions,
} from './providers/listModels';
export { httpOrigin, originOf } from './providers/origin';
export {
  PRICE_CATALOGUE,
  batchPriceOf,
  costUsd,
  describePriceSource,
  lookupPrice,
  priceFor,
  pricesAt,
  type PriceEndpoint,
  type PriceQuery,
} from './providers/pricing';
export { ALLOW_KEYS_ENV, keyDecision, parseKeyGrants, type KeyDecision, type KeyGrant } from './providers/keyPolicy';

// Scheduling: rate limits as flow control.
export {
  DEFAULT_MAX_WAIT_MS,
  EndpointScheduler,
  describeThrottle,
  type RequestEnd,
  type RequestGate,
  type RequestStart,
  type SchedulerOptions,
  type ThrottleState,
} from './schedule/scheduler';
export { SchedulerPool } from './schedule/pool';
export { ProviderError, WaitBudget, formatWait, type RetryClass, type RetryHint } from './schedule/failure';
export { parseResetDuration, readRateLimitSignals, type RateLimitSignals } from './schedule/headers';

// Cost: estimates before a run, budgets during one, token counts.
export {
  ASSUMED_OUTPUT_TOKENS,
  estimatePrompt,
  outputBoundFor,
  type EstimateOptions,
  type FileEstimate,
  type OutputBound,
  type RequestGroupEstimate,
} from './cost/estimate';
export {
  BudgetExceededError,
  CostBudget,
  MAX_BUDGET_USD,
  NOT_RUN_BUDGET,
  budgetedResolver,
  checkBudget,
  worstCaseChatUsd,
} from './cost/budget';
export { countChat, countText, tokenizerFor, type Tokenizer } from './cost/tokens';

// Running, results and storage.
export { hasPendingBatches, resumeBatchRun, runPrompt, type RunOptions, type RunOutcome } from './engine';
export type { BatchResumeOptions } from './engine';
export {
  RESUME_RECORD,
  isIncomplete,
  pendingSampleCounts,
  planResume,
  resumeRun,
  runCompleteness,
  type ResumeCheckOptions,
  type ResumeOptions,
  type ResumeOutcome,
  type ResumePlan,
  type RunCompleteness,
} from './run/resume';
export { contentHashOf } from './run/identity';
export type {
  BatchRecord,
  BatchResultRecord,
  CaseResult,
  EvaluationResult,
  JudgeTrace,
  RunEvent,
  RunHeader,
  RunSummary,
  SampleResult,
  SentMessage,
  TokenUsage,
} from './run/types';
export { checkBatchModels, requireBatchApi, type BatchSettings } from './run/batchRunner';
export { inShard, parseShard, shardOf, type Shard } from './run/shard';
export { mergeShardRuns, type MergedRun } from './run/mergeShards';
export type { BatchApi, BatchJob, BatchLimits } from './providers/batchApi';
export { summarize } from './run/summary';
export { canonicalJson, caseKey } from './run/canonical';
export { DEFAULT_CONCURRENCY, renderMessages } from './run/runner';
export {
  RunStore,
  RunWriter,
  newRunId,
  parseRunText,
  TORN_LINE_WARNING,
  type LoadedRun,
  type RunInfo,
  type RunRecord,
  type StoredSummary,
} from './store/runStore';
export { ResponseCache, responseCacheKey, type CacheKeyParts, type CachedResponse } from './store/cache';
export { gitInfo, gitUser, type GitInfo } from './git';
export { assertWritable, writeFileAtomically } from './store/atomicWrite';

// Evaluators.
export {
  BUILTIN_JUDGES,
  DEFAULT_EMBEDDING_MODEL,
  DEFAULT_JUDGE_MODEL,
  STAR_CHOICES,
  cosineSimilarity,
  evaluate,
  evaluateAll,
  matchChoice,
  parseStructuredReply,
  type EmbedFunction,
  type EvaluationContext,
  type JudgeSettings,
} from './evaluators';

// Compare.
export * from './compare';

// Human grades and agreement.
export * from './grades';
// Setup: `promptlab init` / "Configure models…", and the retired GitHub Models catalog.
export {
  collectModelUses,
  FALLBACK_DEFAULT_MODEL,
  INIT_PROVIDERS,
  planInitConfig,
  planRoute,
  suggestDefaultModel,
  type InitOptions,
  type InitPlan,
  type InitProvider,
  type ModelUse,
  type PlannedRoute,
  type RouteStatus,
  type WorkspaceModels,
} from './setup/init';
export {
  CATALOG_TARGETS,
  findCatalogEntry,
  GH_MODELS_CATALOG,
  GH_MODELS_CATALOG_DATE,
  GH_MODELS_RETIRED,
  type CatalogEntry,
  type CatalogTarget,
} from './providers/ghModelsCatalog';

// Test-case generation (`promptlab generate`, "Generate test cases…").
export {
  dropDuplicates,
  GENERATION_SCHEMA_NAME,
  generationSchema,
  generationVariables,
  MAX_GENERATE_COUNT,
  parseGeneratedReply,
  planGeneration,
  type GenerateOptions,
  type GeneratePlan,
  type GenerationVariables,
} from './generate/generate';
