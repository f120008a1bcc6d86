// UI end-to-end helpers: import from here in test/e2e/*.e2e.mjs.
export { e2e, e2eEnvironment } from './e2e.mjs';
export { launchBrowser, chromiumPath } from './browser.mjs';
export { waitFor, withTimeout } from './wait.mjs';
export {
  openWorkbench,
  explorerRow,
  openFileFromExplorer,
  activeEditorTab,
  findCodeLens,
  webviewFrame,
  webviewWith,
  contextMenuAction,
  runPanel,
  runCommand,
  quickInput,
  focusedQuickItemLabel,
  pickQuickItem,
  setColorTheme,
  answerQuickInput,
  statusBarLanguage,
  notificationTexts,
  waitForNotification,
  screenshotDir,
  screenshot,
} from './workbench.mjs';
export {
  useStandinForAllModels,
  useDarkTheme,
  runPromptFromLens,
  runGreeting,
  compareWithTypedModels,
  readGrades,
  expectGreetingAgreement,
} from './promptlab.mjs';
