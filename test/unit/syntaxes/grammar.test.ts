// Tokenizes with vscode-textmate + vscode-oniguruma, the engine VS Code itself uses. The host
// YAML grammar here is a small stand-in with the same scope names as VS Code's (which is not
// installed outside VS Code); test/vscode/suite/language.test.ts repeats the key checks inside a
// real VS Code against its own YAML grammar.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';
import { INITIAL, parseRawGrammar, Registry, type IGrammar } from 'vscode-textmate';
import { loadWASM, OnigScanner, OnigString } from 'vscode-oniguruma';
import { REPO_ROOT } from '../support/repoRoot';

const root = REPO_ROOT;

const hostYaml = {
  scopeName: 'source.yaml',
  patterns: [
    { match: '(?:^|\\s)(#.*)$', captures: { 1: { name: 'comment.line.number-sign.yaml' } } },
    {
      begin: '^(\\s*)(?:(-)\\s+)?([\\w-]+)(:)\\s*([|>][-+]?)\\s*$',
      while: '^(?=\\1\\s+\\S|\\s*$)',
      beginCaptures: { 3: { name: 'entity.name.tag.yaml' }, 5: { name: 'keyword.control.flow.block-scalar.yaml' } },
      contentName: 'meta.scalar.yaml string.unquoted.block.yaml',
    },
    // Like VS Code's grammar: indentation, the item dash and the key are separate tokens.
    { match: '^\\s*(-)(?=\\s)', captures: { 1: { name: 'punctuation.definition.block.sequence.item.yaml' } } },
    {
      match: '(?<=^|\\s)([^\\s:#\'"-][^:#]*)(:)(?=\\s|$)',
      captures: { 1: { name: 'entity.name.tag.yaml' }, 2: { name: 'punctuation.separator.map.value.yaml' } },
    },
    { begin: '"', end: '"', name: 'string.quoted.double.yaml' },
    { begin: "'", end: "'", name: 'string.quoted.single.yaml' },
    { match: ':(?=\\s|$)', name: 'punctuation.separator.map.value.yaml' },
    { match: '[^\\s#"\':][^#]*?(?=\\s+#|\\s*$)', name: 'string.unquoted.plain.out.yaml' },
  ],
};

let grammar: IGrammar;

before(async () => {
  const wasm = fs.readFileSync(path.join(root, 'node_modules/vscode-oniguruma/release/onig.wasm'));
  await loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (sources: string[]) => new OnigScanner(sources),
      createOnigString: (s: string) => new OnigString(s),
    }),
    loadGrammar: (scopeName: string) => {
      if (scopeName === 'source.yaml') return Promise.resolve(parseRawGrammar(JSON.stringify(hostYaml), 'host.json'));
      if (scopeName === 'source.prompt-yaml') {
        const file = path.join(root, 'syntaxes/prompt-yaml.tmLanguage.json');
        return Promise.resolve(parseRawGrammar(fs.readFileSync(file, 'utf8'), file));
      }
      return Promise.resolve(null);
    },
  });
  const loaded = await registry.loadGrammar('source.prompt-yaml');
  assert.ok(loaded);
  grammar = loaded;
});

/** Scopes of the token covering the `occurrence`-th `needle` on `line` of the tokenized text. */
function scopesAt(lines: string[], line: number, needle: string): string[] {
  let state = INITIAL;
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i] ?? '';
    const result = grammar.tokenizeLine(text, state);
    state = result.ruleStack;
    if (i !== line) continue;
    const at = text.indexOf(needle);
    assert.ok(at >= 0, `"${needle}" is on line ${line}`);
    const token = result.tokens.find((t) => t.startIndex <= at && at < t.endIndex);
    return token?.scopes ?? [];
  }
  return [];
}

const FILE = [
  'testData:',
  "  - input: 'hello {{x}}'",
  '    string: hello',
  'messages:',
  '  - role: system # {{not_a_variable}}',
  '    content: |',
  '      Hi {{ name }}!',
  '      role: system',
  '  - role: "User"',
  '    content: "{{input}}"',
  '  - role: narrator',
  'evaluators:',
  '  - name: s',
  '    string:',
  '      contains: x',
  '  - name: sim',
  '    uses: github/similarity',
];

void test('{{variables}} in quoted strings, block scalars and plain values; not in comments', () => {
  assert.ok(scopesAt(FILE, 1, 'x}}').includes('variable.other.template.prompt-yaml'));
  assert.ok(scopesAt(FILE, 1, '{{').includes('punctuation.definition.template-expression.begin.prompt-yaml'));
  assert.ok(scopesAt(FILE, 1, '}}').includes('punctuation.definition.template-expression.end.prompt-yaml'));
  assert.ok(scopesAt(FILE, 1, 'x}}').includes('string.quoted.single.yaml'), 'the string scope stays underneath');
  const spaced = scopesAt(FILE, 6, 'name');
  assert.ok(spaced.includes('variable.other.template.prompt-yaml') && spaced.includes('string.unquoted.block.yaml'));
  assert.ok(scopesAt(FILE, 9, 'input').includes('variable.other.template.prompt-yaml'));
  assert.ok(!scopesAt(FILE, 4, 'not_a_variable').includes('variable.other.template.prompt-yaml'));
});

void test('role values after `role:` (any case), but not inside message text or for unknown roles', () => {
  assert.ok(scopesAt(FILE, 4, 'system').includes('support.constant.role.prompt-yaml'));
  assert.ok(scopesAt(FILE, 8, 'User').includes('support.constant.role.prompt-yaml'));
  assert.ok(!scopesAt(FILE, 7, 'system').includes('support.constant.role.prompt-yaml'));
  assert.ok(!scopesAt(FILE, 10, 'narrator').includes('support.constant.role.prompt-yaml'));
});

void test('evaluator kinds and github/ built-in judges', () => {
  assert.ok(scopesAt(FILE, 13, 'string').includes('keyword.other.evaluator-kind.prompt-yaml'));
  assert.ok(
    !scopesAt(FILE, 2, 'string').includes('keyword.other.evaluator-kind.prompt-yaml'),
    'a test-data key with a value is left alone',
  );
  assert.ok(scopesAt(FILE, 16, 'uses').includes('keyword.other.evaluator-kind.prompt-yaml'));
  assert.ok(scopesAt(FILE, 16, 'github').includes('entity.name.namespace.prompt-yaml'));
  assert.ok(scopesAt(FILE, 16, 'similarity').includes('support.function.builtin-evaluator.prompt-yaml'));
});
