// The pickers' model list: grouped by source, each id once, an endpoint's failed list as a hint.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { modelChoiceGroups, modelIdsInPrompt } from '../../../../src/extension/models/modelChoices';

void test('modelIdsInPrompt reads the model and every llm judge, and nothing from broken YAML', () => {
  const text = [
    'model: openai/gpt-4o',
    'evaluators:',
    '  - name: judge',
    '    llm: { modelId: openai/gpt-4o-mini, prompt: "{{completion}}", choices: [{ choice: "1", score: 1 }] }',
    '  - name: again',
    '    llm: { modelId: openai/gpt-4o-mini }',
    '  - name: other',
    '    llm:',
    '      modelId: " anthropic/claude "',
    '  - name: plain',
    '    string: { contains: x }',
  ].join('\n');
  assert.deepEqual(modelIdsInPrompt(text), {
    model: 'openai/gpt-4o',
    judges: ['openai/gpt-4o-mini', 'anthropic/claude'],
  });
  assert.deepEqual(modelIdsInPrompt('model: [unclosed'), { judges: [] });
  assert.deepEqual(modelIdsInPrompt('- a list'), { judges: [] });
});

void test('modelChoiceGroups: file, workspace, endpoints (with a failed one as a hint), configured, editor; each id once', () => {
  const groups = modelChoiceGroups({
    file: { model: 'standin/standin', judges: ['standin/standin-judge'] },
    workspace: [
      { id: 'standin/standin', file: 'other.prompt.yml' },
      { id: 'openai/gpt-4o', file: 'a.prompt.yml' },
      { id: 'openai/gpt-4o', file: 'b.prompt.yml' },
    ],
    endpoints: [
      { provider: 'p0', origin: 'http://127.0.0.1:1', ids: ['standin/standin', 'standin/standin-upper'] },
      {
        provider: 'openai',
        origin: 'https://api.openai.com',
        ids: [],
        error:
          'OpenAI rejected the API key (401) for https://api.openai.com; set the key with the OPENAI_API_KEY environment variable\nmore',
      },
    ],
    configured: [{ origin: 'http://127.0.0.1:1', models: ['standin/standin-upper', 'standin/exact'] }],
    defaultModel: 'openai/gpt-4o',
    editor: [{ id: 'promptlab-test/echo-lm', name: 'Echo LM' }],
  });
  assert.deepEqual(
    groups.map((g) => [g.label, g.choices.map((c) => c.id), g.hint]),
    [
      ['This file', ['standin/standin', 'standin/standin-judge'], undefined],
      ['Used in this workspace’s prompt files', ['openai/gpt-4o'], undefined],
      ['Offered by http://127.0.0.1:1', ['standin/standin-upper'], undefined],
      [
        'Offered by https://api.openai.com',
        [],
        'https://api.openai.com: no model list (OpenAI rejected the API key (401) for https://api.openai.com; set the key with the OPENAI…)',
      ],
      ['Configured', ['standin/exact'], undefined],
      ['Editor chat models (approximate results)', ['promptlab-test/echo-lm'], undefined],
    ],
  );
  assert.equal(groups[1]?.choices[0]?.description, 'a.prompt.yml and 1 more');
});

void test('modelChoiceGroups leaves out sources with nothing to offer', () => {
  assert.deepEqual(modelChoiceGroups({ workspace: [], endpoints: [], configured: [], editor: [] }), []);
});
