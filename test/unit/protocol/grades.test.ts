// The run panel's grading messages are validated on both sides like every other message.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isRunHostMessage, isRunViewMessage } from '../../../src/protocol/run';

void describe('grading messages', () => {
  void it('accepts a grade from the webview and rejects malformed ones', () => {
    assert.ok(
      isRunViewMessage({ type: 'grade', seq: 1, caseIndex: 2, sample: 0, verdict: 'pass', score: 4, note: 'fine' }),
    );
    assert.ok(
      isRunViewMessage({ type: 'grade', seq: 1, caseIndex: 2, sample: 0, verdict: null, score: null, note: '' }),
      'clearing',
    );
    assert.equal(
      isRunViewMessage({ type: 'grade', seq: 1, caseIndex: 2, sample: 0, verdict: 'maybe', score: null, note: '' }),
      false,
    );
    assert.equal(
      isRunViewMessage({ type: 'grade', seq: 1, caseIndex: 2, sample: 0, verdict: 'pass', score: 6, note: '' }),
      false,
    );
    assert.equal(
      isRunViewMessage({ type: 'grade', seq: 1, caseIndex: -1, sample: 0, verdict: 'pass', score: null, note: '' }),
      false,
    );
    assert.equal(
      isRunViewMessage({
        type: 'grade',
        seq: 1,
        caseIndex: 0,
        sample: 0,
        verdict: 'pass',
        score: null,
        note: 'x'.repeat(2001),
      }),
      false,
    );
    assert.equal(
      isRunViewMessage({ type: 'grade', seq: 1, caseIndex: 0, sample: 0, verdict: 'pass', score: null }),
      false,
      'note is required',
    );
    assert.equal(
      isRunViewMessage({ type: 'grade', caseIndex: 0, sample: 0, verdict: 'pass', score: null, note: '' }),
      false,
      'seq is required',
    );
  });

  void it('accepts grades and trust from the host, and focus-case', () => {
    assert.ok(
      isRunHostMessage({
        type: 'grades',
        grades: [
          { caseIndex: 0, sample: 0, verdict: 'fail', note: 'n', by: 'Ada', at: '2026-12-01T10:00:00Z' },
          { caseIndex: 1, sample: 0, score: 3, at: '' },
        ],
        trust: [
          { name: 'judge', n: 30, kappa: 0.2, agreement: 0.6, poor: true, summary: 'κ = 0.20' },
          { name: 'x', n: 0, kappa: null, agreement: null, poor: false, summary: '' },
        ],
        appliedSeq: 4,
      }),
    );
    assert.equal(
      isRunHostMessage({
        type: 'grades',
        grades: [{ caseIndex: 0, sample: 0, score: 0, at: '' }],
        trust: [],
        appliedSeq: 0,
      }),
      false,
    );
    assert.equal(
      isRunHostMessage({
        type: 'grades',
        grades: [],
        trust: [{ name: 'j', n: 1, kappa: 'high', agreement: null, poor: false, summary: '' }],
        appliedSeq: 0,
      }),
      false,
    );
    assert.equal(isRunHostMessage({ type: 'grades', grades: [], trust: [] }), false, 'appliedSeq is required');
    assert.ok(isRunHostMessage({ type: 'focus-case', caseIndex: 3, sample: 1 }));
    assert.equal(isRunHostMessage({ type: 'focus-case', caseIndex: 3 }), false);
  });
});
