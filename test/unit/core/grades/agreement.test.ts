// computeAgreement over built runs, grades files (CSV and JSONL) with bad rows, and the grades store.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  GradeIndex,
  GradeStore,
  computeAgreement,
  gradePromptOf,
  mergeGraded,
  outputHash,
  parseGradesFile,
  type GradedSample,
} from '../../../../src/core/grades';
import type { CaseResult } from '../../../../src/core/run/types';
import { evaluation, header, sample } from '../../support/runBuilders';

/** A case judged by `judge` (passed or not) and always passed by `length`. */
function judgedCase(caseIndex: number, judgePassed: boolean, output = `reply ${caseIndex}`): CaseResult {
  const s = sample(output, [evaluation('judge', judgePassed, judgePassed ? 0.8 : 0.2), evaluation('length', true)]);
  return {
    caseIndex,
    caseKey: `k${caseIndex}`,
    vars: { n: caseIndex },
    samples: [s],
    passRate: s.passed ? 1 : 0,
    passed: s.passed,
  };
}

const grade = (caseIndex: number, verdict: 'pass' | 'fail', extra: Partial<GradedSample> = {}): GradedSample => ({
  caseIndex,
  sample: 0,
  verdict,
  source: 't',
  ...extra,
});

void describe('computeAgreement', () => {
  void it('per evaluator: n, agreement, κ, confusion and the disagreements with 1-based case numbers', () => {
    // 12 cases; judge passes 0..7. The person passes 0..5 and 8, fails 6, 7, 9, 10, 11.
    // judge vs person: both pass 0-5 (6), person fail/judge pass 6,7 (2), person pass/judge fail 8 (1), both fail 9-11 (3)
    // p_o = 9/12 = .75; person pass 7/12, judge pass 8/12: p_e = (7·8 + 5·4)/144 = 76/144; κ = (108-76)/(144-76) = 32/68.
    const cases = Array.from({ length: 12 }, (_, i) => judgedCase(i, i < 8));
    const graded = cases.map((c) =>
      grade(
        c.caseIndex,
        c.caseIndex <= 5 || c.caseIndex === 8 ? 'pass' : 'fail',
        c.caseIndex === 6 ? { note: 'made up a date' } : {},
      ),
    );
    const report = computeAgreement(cases, graded);
    const judge = report.evaluators.find((e) => e.name === 'judge');
    assert.ok(judge);
    assert.equal(judge.n, 12);
    assert.equal(judge.agreement, 0.75);
    assert.ok(Math.abs((judge.kappa ?? NaN) - 32 / 68) < 1e-12);
    assert.deepEqual(judge.confusion, {
      bothPass: 6,
      bothFail: 3,
      humanPassEvaluatorFail: 1,
      humanFailEvaluatorPass: 2,
    });
    assert.deepEqual(
      judge.disagreements.map((d) => [d.case, d.human, d.evaluator]),
      [
        [7, 'fail', 'pass'],
        [8, 'fail', 'pass'],
        [9, 'pass', 'fail'],
      ],
    );
    assert.equal(judge.disagreements[0]?.note, 'made up a date');
    assert.match(judge.summary, /κ = 0\.47 \(moderate\), 75 % agreement on 12 graded cases; few grades/);
    assert.equal(judge.poor, false);
    // `length` passes everything while the person fails 5: κ = 0, enough grades → poor.
    const length = report.evaluators.find((e) => e.name === 'length');
    assert.equal(length?.kappa, 0);
    assert.equal(length?.poor, true);
    assert.match(
      length?.summary ?? '',
      /the evaluator gave every graded case the same verdict, so κ is 0 by construction.*: poor agreement, discount/,
    );
  });

  void it('says in words when there are too few grades, and when κ is undefined', () => {
    const cases = Array.from({ length: 5 }, (_, i) => judgedCase(i, i < 3));
    const few = computeAgreement(cases, [grade(0, 'pass'), grade(1, 'pass'), grade(3, 'fail'), grade(4, 'pass')]);
    const judge = few.evaluators.find((e) => e.name === 'judge');
    assert.match(judge?.summary ?? '', /^too few grades: 4 graded cases cannot give a meaningful κ/);
    assert.equal(judge?.poor, false, 'never marked poor on too few grades');
    const same = computeAgreement(cases, [grade(0, 'pass'), grade(1, 'pass')]);
    assert.match(
      same.evaluators.find((e) => e.name === 'judge')?.summary ?? '',
      /^κ undefined: .* all 2 graded cases the same verdict/,
    );
    const none = computeAgreement(cases, []);
    assert.equal(none.graded, 0);
    assert.equal(none.evaluators[0]?.n, 0);
  });

  void it('1–5 scores give a rank correlation; evaluator errors are left out and counted', () => {
    const cases = [0, 1, 2, 3].map((i) => judgedCase(i, i >= 2));
    const firstEval = cases[0]?.samples[0]?.evaluations[0];
    if (firstEval) firstEval.error = true;
    // judge scores .2 .2 .8 .8 for cases 0..3; case 0 errors, so (2,.2) (4,.8) (5,.8) remain.
    const report = computeAgreement(cases, [
      grade(0, 'fail', { score: 1 }),
      { caseIndex: 1, sample: 0, score: 2, source: 't' },
      grade(2, 'pass', { score: 4 }),
      grade(3, 'pass', { score: 5 }),
    ]);
    const judge = report.evaluators.find((e) => e.name === 'judge');
    assert.equal(judge?.evaluatorErrors, 1);
    assert.equal(judge?.n, 2, 'only pass/fail grades count for κ');
    assert.equal(judge?.scores?.n, 3);
    // ranks person 1 2 3, judge 1 2.5 2.5 → ρ = 1.5/√(2·1.5) = √3/2
    assert.ok(Math.abs((judge?.scores?.spearman ?? NaN) - Math.sqrt(3) / 2) < 1e-12);
  });

  void it('mergeGraded: a file row replaces the stored grade of the same sample', () => {
    const merged = mergeGraded([grade(0, 'pass'), grade(1, 'pass')], [grade(1, 'fail', { source: 'f:2' })]);
    assert.deepEqual(
      merged.map((g) => [g.caseIndex, g.verdict]),
      [
        [0, 'pass'],
        [1, 'fail'],
      ],
    );
  });
});

void describe('parseGradesFile', () => {
  const cases = [judgedCase(0, true), judgedCase(1, false), judgedCase(2, true)];
  const failed: CaseResult = {
    caseIndex: 3,
    caseKey: 'k3',
    vars: {},
    samples: [{ ...sample('', []), error: 'HTTP 500' }],
    passRate: 0,
    passed: false,
    error: 'HTTP 500',
  };
  const run = {
    header: header({ runId: 'r1', contentHash: 'abcdef0123456789', caseCount: 5 }),
    cases: [...cases, failed],
  };

  void it('CSV with a header: names bad rows with file and line, keeps the others', () => {
    const text = [
      'case,grade,note',
      '1,pass,"fine, really"',
      '2,FAIL',
      '9,pass',
      '5,pass',
      '2,pass',
      'x,pass',
      '3,maybe',
      '4,fail',
      '3,"broken',
      '3,4,terse, but right',
      '',
    ].join('\n');
    const { graded, warnings } = parseGradesFile('g.csv', text, run);
    assert.deepEqual(
      graded.map((g) => [g.caseIndex, g.verdict ?? g.score, g.note]),
      [
        [0, 'pass', 'fine, really'],
        [1, 'fail', undefined],
        [2, 4, 'terse, but right'],
      ],
    );
    assert.deepEqual(warnings, [
      'g.csv:4: case 9 is not in this run (it has 5 cases), row ignored',
      'g.csv:5: case 5 did not finish in this run, row ignored',
      'g.csv:6: case 2 is graded twice (first on line 3); this row ignored',
      "g.csv:7: 'x' is not a case number (1-based, as the CLI table shows it), row ignored",
      "g.csv:8: grade 'maybe' is neither pass, fail nor a score from 1 to 5; row ignored",
      'g.csv:9: case 4 has no reply to grade (its request failed); row ignored',
      'g.csv:10: unreadable CSV line (Quote Not Closed: the parsing is finished with an opening quote), ignored',
    ]);
  });

  void it('CSV revision column and JSONL rows: grades for another revision are named and skipped', () => {
    const csv = parseGradesFile('g.csv', 'case,grade,revision\n1,pass,abcdef0\n2,fail,1234567\n', run);
    assert.equal(csv.graded.length, 1);
    assert.match(
      csv.warnings[0] ?? '',
      /^g\.csv:3: the row grades revision '1234567' of the prompt, not this run's \(abcdef012345\)/,
    );
    const jsonl = parseGradesFile(
      'g.jsonl',
      '{"case":1,"grade":"pass","revision":"r1"}\n{"case":"2","grade":2}\nnot json\n{"case":3,"grade":"fail","revision":"fff0000"}\n',
      run,
    );
    assert.deepEqual(
      jsonl.graded.map((g) => [g.caseIndex, g.verdict ?? g.score]),
      [
        [0, 'pass'],
        [1, 2],
      ],
    );
    assert.deepEqual(
      jsonl.warnings.map((w) => w.split(':').slice(0, 2).join(':')),
      ['g.jsonl:3', 'g.jsonl:4'],
    );
  });

  void it('repeated runs: N.S names a sample; a bare N is ambiguous and says how to name one', () => {
    const two: CaseResult = { ...judgedCase(0, true), samples: [sample('a', []), { ...sample('b', []), sample: 1 }] };
    const r = { header: header({ caseCount: 1 }), cases: [two] };
    const { graded, warnings } = parseGradesFile('g.csv', '1.2,pass\n1,fail\n1.3,pass\n', r);
    assert.deepEqual(
      graded.map((g) => [g.caseIndex, g.sample]),
      [[0, 1]],
    );
    assert.match(warnings[0] ?? '', /g\.csv:2: case 1 has 2 samples: name one as 1\.1 … 1\.2/);
    assert.match(warnings[1] ?? '', /g\.csv:3: case 1 has 2 samples, not 3/);
  });
});

void describe('GradeStore', () => {
  void it('writes each grade as one line with a fixed key order and no unset fields', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'promptlab-grades-'));
    try {
      const store = new GradeStore(GradeStore.defaultFile(dir));
      // Given in another order than the file's, and with a field a grade does not have.
      await store.set({
        caseNumber: 2,
        runId: 'run-1',
        at: '2026-12-01T10:00:00.000Z',
        by: { email: 'ada@example.com', name: 'Ada' },
        note: 'fine',
        score: 4,
        verdict: 'pass',
        outputHash: 'h2',
        caseKey: 'k2',
        prompt: 'p.prompt.yml',
        extra: 'dropped',
      } as Parameters<GradeStore['set']>[0]);
      await store.set({ prompt: 'p.prompt.yml', caseKey: 'k1', outputHash: 'h1', score: 3, at: 'now' });
      assert.equal(
        fs.readFileSync(store.file, 'utf8'),
        '{"prompt":"p.prompt.yml","caseKey":"k1","outputHash":"h1","score":3,"at":"now"}\n' +
          '{"prompt":"p.prompt.yml","caseKey":"k2","outputHash":"h2","verdict":"pass","score":4,"note":"fine",' +
          '"by":{"name":"Ada","email":"ada@example.com"},"at":"2026-12-01T10:00:00.000Z","runId":"run-1","caseNumber":2}\n',
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  void it('keeps one sorted line per output; a grade follows the same case and reply text', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'promptlab-grades-'));
    try {
      const store = new GradeStore(GradeStore.defaultFile(dir));
      assert.deepEqual((await store.load()).grades, []);
      const h = header();
      const prompt = gradePromptOf(h);
      await store.set({
        prompt,
        caseKey: 'k2',
        outputHash: outputHash('reply 2'),
        verdict: 'fail',
        note: 'wrong',
        at: '2026-12-01T10:00:00.000Z',
        by: { name: 'Ada' },
      });
      await store.set({
        prompt,
        caseKey: 'k1',
        outputHash: outputHash('reply 1'),
        verdict: 'pass',
        score: 5,
        at: '2026-12-01T10:01:00.000Z',
      });
      // Re-grading the same output replaces its line.
      await store.set({
        prompt,
        caseKey: 'k2',
        outputHash: outputHash('reply 2'),
        verdict: 'pass',
        at: '2026-12-01T10:02:00.000Z',
      });
      const text = fs.readFileSync(store.file, 'utf8');
      const lines = text.trimEnd().split('\n');
      assert.equal(lines.length, 2);
      assert.ok(
        lines[0]?.startsWith(
          `{"prompt":"summarize.prompt.yml","caseKey":"k1","outputHash":"${outputHash('reply 1')}","verdict":"pass","score":5`,
        ),
      );
      assert.match(lines[1] ?? '', /"caseKey":"k2".*"verdict":"pass"/);

      const index = new GradeIndex((await store.load()).grades);
      // A later run: case 1 has the same reply (grade shows), case 2 a new one (no grade).
      const later = [judgedCase(1, true, 'reply 1'), judgedCase(2, true, 'a different reply')];
      later[0]!.caseKey = 'k1';
      later[1]!.caseKey = 'k2';
      assert.deepEqual(
        index.forRun(h, later, store.file).map((g) => [g.caseIndex, g.verdict, g.score]),
        [[1, 'pass', 5]],
      );
      // Another prompt file does not see them.
      assert.equal(index.forRun(header({ promptFileRelative: 'other.prompt.yml' }), later, store.file).length, 0);

      await store.remove(prompt, 'k1', outputHash('reply 1'));
      assert.equal((await store.load()).grades.length, 1);
      await assert.rejects(
        store.set({ prompt, caseKey: 'k', outputHash: 'h', at: 'now' }),
        /needs a 'verdict' or a 'score'/,
      );
      fs.appendFileSync(store.file, 'garbage\n{"prompt":"p"}\n');
      const { warnings } = await store.load();
      assert.deepEqual(warnings, [
        `${store.file}:2: not valid JSON, line ignored`,
        `${store.file}:3: 'caseKey' must be a non-empty string, line ignored`,
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
