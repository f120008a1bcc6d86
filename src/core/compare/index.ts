// Compare: runs against runs (A/B and N-way), revisions of a prompt file, and the noise verdict.
export {
  assessNoise,
  caseScore,
  compareRowOrder,
  compareRuns,
  isFlaky,
  matchCases,
  runLabel,
  sampleScore,
  shouldFail,
  sideSummary,
  rowDiff,
  DEFAULT_ALPHA,
  DEFAULT_DIFF_LIMIT,
} from './compare';
export type { CaseMatch, FailOn, MatchedPair } from './compare';
export { DEFAULT_DISPLAY_LIMIT, diffOutputs, sideText, tidySegments, truncateForDisplay } from './diff';
export { formatComparisonMarkdown, formatComparisonText, formatMatrixText } from './format';
export { fileHistory, locateInRepository, readFileAtRevision, resolveRevision, revisionReader, runGit } from './git';
export type { FileAtRevision, FileRevision, GitFileLocation } from './git';
export { buildMatrix, qualityPoints } from './matrix';
export { runOnModels } from './models';
export type { ModelCompareOptions } from './models';
export { compareRevisions, loadRevisionPrompt, revisionLabel } from './revisions';
export type { RevisionCompareOptions, RevisionCompareResult } from './revisions';
export { mcnemarExact, pairedBootstrap, seededRandom } from './stats';
export * from './types';
