// `promptlab generate`: appending keeps every existing byte, replies are checked against the
// schema, duplicates are dropped, and the CLI end to end against the stand-in on a real socket.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { parseDocument } from 'yaml';
import {
  dropDuplicates,
  generationSchema,
  generationVariables,
  loadPromptFile,
  parsePromptFile,
  parseGeneratedReply,
  parseTestDataText,
} from '../../../../src/core';
import { appendToPromptFileText, appendToTestDataText } from '../../../../src/core/generate/append';
import { PromptLabError } from '../../../../src/core/errors';
import { generationReply } from '../../../../src/standin/generate';
import { runCli } from '../../support/cliHarness';
import { standinFixture } from '../../support/standinSetup';

const WEATHER = `# Weather prompt (comment kept)
name: weather
model: openai/gpt-4o-mini
messages:
  - role: system
    content: You answer about the weather.   # trailing comment
  - role: user
    content: 'What is the weather in {{city}} on day {{day}}?'
testData:
  # first case
  - city: Paris
    day: 1
    expected: sunny
  - city: Oslo   # cold
    day: 2
    expected: snow
# evaluators below
evaluators:
  - name: mentions
    string: { contains: '{{expected}}' }
`;

const ROWS = [
  { _generated: '2026-12-01 m', city: 'Rome', day: 3 },
  { _generated: '2026-12-01 m', city: 'Lima\nPeru', day: 4 },
];

void describe('appending rows', () => {
  void it('splices after the last inline case and keeps every existing line', () => {
    const next = appendToPromptFileText(WEATHER, ROWS);
    const oldLines = WEATHER.split('\n');
    const newLines = next.split('\n');
    // Every old line is still there, in order.
    let at = 0;
    for (const line of newLines) if (line === oldLines[at]) at++;
    assert.equal(at, oldLines.length);
    const data = (parseDocument(next).toJS() as { testData: unknown[] }).testData;
    assert.deepEqual(data.slice(2), ROWS);
    assert.ok(
      next.indexOf('Rome') < next.indexOf('# evaluators below'),
      'rows go before the comment that follows the list',
    );
  });

  void it('handles a missing, empty and flow testData', () => {
    const base = 'model: m\nmessages:\n  - role: user\n    content: "{{a}}"\n';
    for (const text of [base, `${base}testData:\n`, `${base}testData: []\n`, `${base}testData: [{a: x}]\n`]) {
      const next = appendToPromptFileText(text, [{ a: 'y' }]);
      const data = (parseDocument(next).toJS() as { testData: { a: string }[] }).testData;
      assert.equal(data[data.length - 1]?.a, 'y', text);
      assert.ok(next.startsWith(text.replace(/testData:.*\n$/, '')), 'the text before testData is unchanged');
    }
  });

  void it('appends to external jsonl, json, yaml and csv files so they parse back', () => {
    const rows = [{ a: 'x, "quoted"', b: '2' }];
    const cases: [Parameters<typeof appendToTestDataText>[1], string][] = [
      ['jsonl', '{"a":"p","b":"1"}\n'],
      ['json', '[\n  {"a": "p", "b": "1"}\n]\n'],
      ['json', '[]'],
      ['yaml', '# cases\n- a: p\n  b: "1"\n'],
      ['csv', 'a,b\np,1\n'],
    ];
    for (const [format, text] of cases) {
      const next = appendToTestDataText(text, format, rows, 'cases');
      const parsed = parseTestDataText('cases', next, format);
      assert.deepEqual(parsed.diagnostics, [], `${format}: ${next}`);
      assert.deepEqual(parsed.cases[parsed.cases.length - 1]?.vars, rows[0], format);
      // A JSON array gets its rows before the closing bracket; everything up to the last element stays.
      const kept = format === 'json' ? text.slice(0, text.lastIndexOf('}') + 1) : text.trimEnd();
      assert.ok(next.startsWith(kept), `${format}: existing text kept`);
    }
  });
});

void describe('generation schema and replies', () => {
  void it('derives inputs from messages and expectations from evaluators, typed from existing rows', async () => {
    const { prompt } = await parsePromptFile('/w/weather.prompt.yml', WEATHER);
    assert.ok(prompt);
    assert.deepEqual(generationVariables(prompt), {
      inputs: ['city', 'day'],
      expectations: ['expected'],
      types: { city: 'string', day: 'integer', expected: 'string' },
    });
  });

  void it('rejects replies that are not JSON or miss the schema, saying where', () => {
    const schema = generationSchema(['city'], { city: 'string' }, 2);
    assert.throws(
      () => parseGeneratedReply('not json', schema, 'm'),
      (e: unknown) => e instanceof PromptLabError && /did not reply with JSON/.test(e.message),
    );
    assert.throws(
      () => parseGeneratedReply('{"cases":[{"city":"a"}]}', schema, 'm'),
      /\/cases must NOT have fewer than 2 items/,
    );
    assert.throws(
      () => parseGeneratedReply('{"cases":[{"city":"a"},{"city":3}]}', schema, 'm'),
      /\/cases\/1\/city must be string/,
    );
    assert.throws(
      () => parseGeneratedReply('{"cases":[{"city":"a"},{"city":"b","x":1}]}', schema, 'm'),
      /additional properties \(x\)/,
    );
    assert.deepEqual(parseGeneratedReply('{"cases":[{"city":"a"},{"city":"b"}]}', schema, 'm'), [
      { city: 'a' },
      { city: 'b' },
    ]);
  });

  void it('drops rows that repeat existing or earlier rows (inputs only, case and spacing folded)', () => {
    const { kept, duplicates } = dropDuplicates(
      [{ city: ' paris ', expected: 'other' }, { city: 'Rome' }, { city: 'rome' }],
      [{ city: 'Paris', expected: 'sunny' }],
      ['city'],
    );
    assert.deepEqual(kept, [{ city: 'Rome' }]);
    assert.equal(duplicates.length, 2);
  });

  void it('the marker is not a variable: runner, keys and unused-variable checks never see it', async () => {
    const { prompt, diagnostics } = await parsePromptFile(
      '/w/weather.prompt.yml',
      appendToPromptFileText(WEATHER, ROWS),
    );
    assert.ok(prompt);
    assert.equal(prompt.testData[2]?.generated, '2026-12-01 m');
    assert.deepEqual(prompt.testData[2]?.vars, { city: 'Rome', day: 3 });
    assert.equal(prompt.testData[0]?.generated, undefined);
    assert.ok(!diagnostics.some((d) => d.message.includes('_generated')), JSON.stringify(diagnostics));
  });
});

void describe('promptlab generate (CLI against the stand-in)', () => {
  const fixture = standinFixture('cli-generate');
  before(async () => {
    fs.writeFileSync(
      path.join(fixture.dir, 'promptlab.config.yaml'),
      `providers:\n  s:\n    baseURL: ${fixture.standin.url}\nmodels:\n  "openai/*": s\n`,
    );
  });

  const write = (name: string, text: string): string => {
    const file = path.join(fixture.dir, name);
    fs.writeFileSync(file, text);
    return file;
  };

  void it('--count 5 adds exactly the 5 rows the stand-in sent, keeps comments, still validates; a second run adds 5 new ones', async () => {
    const file = write('weather.prompt.yml', WEATHER);
    const first = await runCli(['generate', 'weather.prompt.yml', '--count', '5'], { cwd: fixture.dir });
    assert.equal(first.code, 0, first.stderr);
    const request = fixture.standin.lastRequest();
    const body = request?.body as {
      response_format: { json_schema: { name: string; schema: unknown } };
      messages: { role: string; content: string }[];
    };
    assert.equal(body.response_format.json_schema.name, 'promptlab_test_cases');
    const predicted = (
      JSON.parse(
        generationReply({
          model: 'x',
          messages: body.messages,
          responseFormat: 'json_schema',
          jsonSchema: body.response_format.json_schema.schema,
        }),
      ) as { cases: unknown[] }
    ).cases;
    const afterFirst = fs.readFileSync(file, 'utf8');
    for (const comment of [
      '# Weather prompt (comment kept)',
      '# trailing comment',
      '# first case',
      '# cold',
      '# evaluators below',
    ])
      assert.ok(afterFirst.includes(comment), comment);
    const loaded = await loadPromptFile(file);
    assert.deepEqual(
      loaded.diagnostics.filter((d) => d.severity === 'error'),
      [],
    );
    assert.equal(loaded.prompt?.testData.length, 7);
    assert.deepEqual(
      loaded.prompt?.testData.slice(2).map((c) => c.vars),
      predicted,
    );
    assert.ok(loaded.prompt?.testData.slice(2).every((c) => c.generated?.endsWith(' openai/gpt-4o-mini')));
    const validated = await runCli(['validate', 'weather.prompt.yml'], { cwd: fixture.dir });
    assert.equal(validated.code, 0, validated.stdout);

    const second = await runCli(['generate', 'weather.prompt.yml', '--count', '5'], { cwd: fixture.dir });
    assert.equal(second.code, 0, second.stderr);
    const reloaded = await loadPromptFile(file);
    const rows = reloaded.prompt?.testData.map((c) => JSON.stringify(c.vars)) ?? [];
    assert.equal(rows.length, 12);
    assert.equal(new Set(rows).size, 12, 'no duplicates');
    assert.ok(
      fs.readFileSync(file, 'utf8').startsWith(afterFirst.slice(0, afterFirst.indexOf('# evaluators below'))),
      'first run rows untouched',
    );
  });

  void it('--expected asks for expected values too', async () => {
    write('exp.prompt.yml', WEATHER);
    const result = await runCli(['generate', 'exp.prompt.yml', '--count', '2', '--expected'], { cwd: fixture.dir });
    assert.equal(result.code, 0, result.stderr);
    const { prompt } = await loadPromptFile(path.join(fixture.dir, 'exp.prompt.yml'));
    assert.match(String(prompt?.testData[3]?.vars.expected), /^expected [0-9a-f]{6}-2$/);
  });

  void it('appends to an external jsonl file and leaves the prompt file alone', async () => {
    const promptFile = write(
      'ext.prompt.yml',
      'model: openai/gpt-4o-mini\nmessages:\n  - role: user\n    content: "Translate {{text}}"\ntestData: ext.jsonl\n',
    );
    const data = write('ext.jsonl', '{"text":"hello"}\n');
    const before = fs.readFileSync(promptFile, 'utf8');
    const result = await runCli(['generate', 'ext.prompt.yml', '--count', '3'], { cwd: fixture.dir });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(fs.readFileSync(promptFile, 'utf8'), before);
    const lines = fs.readFileSync(data, 'utf8').trim().split('\n');
    assert.equal(lines.length, 4);
    assert.equal(lines[0], '{"text":"hello"}');
    assert.match(lines[3] ?? '', /"_generated":"\d{4}-\d\d-\d\d openai\/gpt-4o-mini","text":"text [0-9a-f]{6}-3"/);
  });

  void it('drops duplicates of existing rows and says so', async () => {
    const file = write('dup.prompt.yml', WEATHER);
    const reply = JSON.stringify({
      cases: [
        { city: 'paris', day: 1 },
        { city: 'Rome', day: 3 },
      ],
    });
    const result = await runCli(['generate', 'dup.prompt.yml', '--count', '2', '--focus', `[[reply: ${reply}]]`], {
      cwd: fixture.dir,
    });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /dropped duplicate of an existing row: \{"city":"paris","day":1\}/);
    assert.match(result.stderr, /added 1 test case .*1 duplicate dropped/);
    assert.equal((await loadPromptFile(file)).prompt?.testData.length, 3);
  });

  void it('bad input: clear messages, file untouched', async () => {
    const file = write('bad.prompt.yml', WEATHER);
    const check = async (args: string[], pattern: RegExp): Promise<void> => {
      const result = await runCli(['generate', 'bad.prompt.yml', ...args], { cwd: fixture.dir });
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, pattern);
      assert.equal(fs.readFileSync(file, 'utf8'), WEATHER);
    };
    await check(
      ['--count', '2', '--focus', '[[reply: not json at all]]'],
      /did not reply with JSON.*nothing|did not reply with JSON/,
    );
    await check(
      ['--count', '2', '--focus', '[[reply: {"cases":[{"city":"a","day":"x"}]}]]'],
      /does not match the test-case schema: \/cases must NOT have fewer than 2 items; nothing was written/,
    );
    await check(['--model', 'acme/unknown'], /no endpoint configured for model "acme\/unknown"/);
    await check(['--count', '0'], /--count must be a whole number from 1 to 50/);
    fs.chmodSync(file, 0o444);
    try {
      await check([], /bad\.prompt\.yml is read-only; nothing was written/);
    } finally {
      fs.chmodSync(file, 0o644);
    }
    write('novars.prompt.yml', 'model: openai/gpt-4o-mini\nmessages:\n  - role: user\n    content: hello\n');
    const novars = await runCli(['generate', 'novars.prompt.yml'], { cwd: fixture.dir });
    assert.equal(novars.code, 2);
    assert.match(novars.stderr, /novars\.prompt\.yml:2:1: error: no template variables/);
  });
});
