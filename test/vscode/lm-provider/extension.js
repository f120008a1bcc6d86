// Test-only chat model provider (never shipped): registers two models with
// vscode.lm.registerLanguageModelChatProvider so PromptLab's `vscode.lm` path is exercised for real.
//  - "echo-lm": streams back, in three parts, what it received: `[<role>] <text>` per message, so a
//    test sees how the system prompt arrived; a user text containing "[[fail]]" makes it throw; one
//    containing "[[slow]]" streams a part every 200 ms for 10 s, stopping when cancelled.
//  - "refuse-lm": throws a LanguageModelError.NoPermissions.
const vscode = require('vscode');

const models = [
  {
    id: 'echo-lm',
    name: 'Echo LM',
    family: 'echo-lm',
    version: '1',
    maxInputTokens: 100000,
    maxOutputTokens: 4000,
    capabilities: {},
  },
  {
    id: 'refuse-lm',
    name: 'Refusing LM',
    family: 'refuse-lm',
    version: '1',
    maxInputTokens: 100000,
    maxOutputTokens: 4000,
    capabilities: {},
  },
];

function textOf(message) {
  return message.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : '')).join('');
}

function roleName(role) {
  return role === vscode.LanguageModelChatMessageRole.User
    ? 'user'
    : role === vscode.LanguageModelChatMessageRole.Assistant
      ? 'assistant'
      : `role-${role}`;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** @type {vscode.LanguageModelChatProvider} */
const provider = {
  provideLanguageModelChatInformation: () => models,
  async provideLanguageModelChatResponse(model, messages, _options, progress, token) {
    if (model.id === 'refuse-lm')
      throw vscode.LanguageModelError.NoPermissions('the test provider refuses every request');
    const all = messages.map((m) => `[${roleName(m.role)}] ${textOf(m)}`).join('\n');
    if (all.includes('[[fail]]')) throw new Error('the test provider failed on purpose');
    if (all.includes('[[slow]]')) {
      for (let i = 0; i < 50 && !token.isCancellationRequested; i++) {
        progress.report(new vscode.LanguageModelTextPart(`part ${i} `));
        await sleep(200);
      }
      return;
    }
    const third = Math.ceil(all.length / 3);
    for (let i = 0; i < all.length; i += third) {
      progress.report(new vscode.LanguageModelTextPart(all.slice(i, i + third)));
      await sleep(10);
    }
  },
  provideTokenCount: async (_model, text) => Math.ceil((typeof text === 'string' ? text : textOf(text)).length / 4),
};

exports.activate = (context) => {
  context.subscriptions.push(vscode.lm.registerLanguageModelChatProvider('promptlab-test', provider));
};
