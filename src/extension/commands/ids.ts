// Every command id of the extension, in one table. scripts/check-commands.mjs checks it against
// package.json (contributes.commands) and checks that each id has exactly one registered unit.
export const Commands = {
  runPrompt: 'promptlab.runPrompt',
  runTestCase: 'promptlab.runTestCase',
  runWithModel: 'promptlab.runWithModel',
  runAsBatch: 'promptlab.runAsBatch',
  selectModel: 'promptlab.selectModel',
  setApiKey: 'promptlab.setApiKey',
  deleteApiKey: 'promptlab.deleteApiKey',
  showLog: 'promptlab.showLog',
  showRunPanel: 'promptlab.showRunPanel',
  cancelRun: 'promptlab.cancelRun',
  openRun: 'promptlab.openRun',
  compareModels: 'promptlab.compareModels',
  compareWithRevision: 'promptlab.compareWithRevision',
  compareRuns: 'promptlab.compareRuns',
  openCaseDiff: 'promptlab.compare.openCaseDiff',
  selectForCompare: 'promptlab.history.selectForCompare',
  compareWithSelected: 'promptlab.history.compareWithSelected',
  openHistoryRun: 'promptlab.history.openRun',
  deleteRun: 'promptlab.history.deleteRun',
  refreshHistory: 'promptlab.history.refresh',
  resumeRun: 'promptlab.resumeRun',
  rerunErrored: 'promptlab.rerunErrored',
  refreshAgreement: 'promptlab.agreement.refresh',
  showDisagreements: 'promptlab.agreement.showDisagreements',
  openGradedCase: 'promptlab.agreement.openCase',
  configureModels: 'promptlab.configureModels',
  generateTestCases: 'promptlab.generateTestCases',
} as const;

export type CommandId = (typeof Commands)[keyof typeof Commands];
