// `uses: github/<name>`: the five built-in judges of gh-models, with our own prompts.
// Each asks the judge for a 1–5 star rating; gh-models mapped stars 1..5 to scores
// 0, .25, .5, .75, 1 with passed = score > 0, and we keep that for the same verdicts.
// Weak by design (documented in SEMANTICS.md): two stars already passes, and the reply is
// matched by substring in the order 1..5, so a digit elsewhere in the reply can win. Our
// prompts ask for a single digit and nothing else to make stray digits unlikely.
import type { BuiltinEvaluator, LlmChoice } from '../model';
import type { ChatMessage } from '../providers/types';
import { renderTemplate } from '../template';
import { JudgeError, askJudge } from './judge';
import { judgeVars, matchChoice } from './llm';
import { type EvaluationContext, type EvaluationResult, evaluatorError } from './types';

export const STAR_CHOICES: readonly LlmChoice[] = [
  { choice: '1', score: 0 },
  { choice: '2', score: 0.25 },
  { choice: '3', score: 0.5 },
  { choice: '4', score: 0.75 },
  { choice: '5', score: 1 },
];

const SYSTEM =
  'You grade answers written by another AI system. Read the rating scale, judge the data honestly, ' +
  'and reply with exactly one digit from 1 to 5 (the number of stars). Do not write anything else.';

interface BuiltinJudge {
  prompt: string;
}

/** A judge prompt: what to rate, the 1–5 star scale, the case's data, and the request for one digit. */
const starPrompt = (task: string[], stars: string[], data: string[]): string =>
  [
    ...task,
    ...stars.map((line, i) => `${i + 1} star${i ? 's' : ''}: ${line}`),
    '',
    ...data,
    '',
    'Stars (one digit):',
  ].join('\n');

export const BUILTIN_JUDGES: Readonly<Record<string, BuiltinJudge>> = {
  similarity: {
    prompt: starPrompt(
      [
        'Rate how closely the ANSWER matches the meaning of the REFERENCE answer to the QUESTION.',
        'Judge meaning and facts, not wording: a paraphrase with the same facts deserves five stars.',
      ],
      [
        'the answer says something unrelated to, or contradicting, the reference',
        'the answer shares a few points with the reference but mostly differs',
        'the answer covers about half of what the reference says',
        'the answer conveys nearly everything in the reference, with small gaps or additions',
        'the answer means the same as the reference',
      ],
      ['QUESTION: {{input}}', 'REFERENCE: {{expected}}', 'ANSWER: {{completion}}'],
    ),
  },
  coherence: {
    prompt: starPrompt(
      [
        'Rate the coherence of the ANSWER to the QUESTION: do its ideas follow a logical order, connect',
        'clearly from one sentence to the next, and address the question as a whole?',
      ],
      [
        'a jumble of words or phrases with no meaningful sentences',
        'fragments with a few relevant words but no clear structure',
        'understandable, but the order or links between ideas are abrupt or unclear',
        'logically organised and easy to follow',
        'exceptionally well organised; every step leads naturally to the next',
      ],
      ['QUESTION: {{input}}', 'ANSWER: {{completion}}'],
    ),
  },
  fluency: {
    prompt: starPrompt(
      [
        'Rate the fluency of the TEXT: grammar, choice of words, sentence construction and how easily it reads.',
        'Ignore whether it is correct or relevant; judge only the language.',
      ],
      [
        'barely language: pervasive errors, mostly incomprehensible',
        'simple ideas come through, but errors and awkward phrasing are frequent',
        'clear, with occasional errors and plain sentences',
        'well written with varied vocabulary; rare minor slips',
        'polished, precise and natural throughout',
      ],
      ['TEXT: {{completion}}'],
    ),
  },
  relevance: {
    prompt: starPrompt(
      [
        'Rate how relevant the ANSWER is to the QUESTION: does it address what was asked, completely,',
        'without drifting to other topics?',
      ],
      [
        'does not address the question at all',
        'touches the topic but misses what was asked',
        'partly answers the question, or buries the answer in unrelated material',
        'answers the question with minor omissions or digressions',
        'fully and directly answers the question',
      ],
      ['QUESTION: {{input}}', 'ANSWER: {{completion}}'],
    ),
  },
  groundedness: {
    prompt: starPrompt(
      [
        'Rate how well the ANSWER is supported by the CONTEXT: every claim should follow from the',
        'context; claims the context does not support, or that contradict it, lower the rating.',
      ],
      [
        'unrelated to the context, or contradicts it',
        'mostly unsupported claims with a little from the context',
        'a mix of supported and unsupported claims',
        'nearly every claim is supported, with small unsupported details',
        'every claim is supported by the context',
      ],
      ['CONTEXT: {{expected}}', 'QUESTION: {{input}}', 'ANSWER: {{completion}}'],
    ),
  },
};

const PREFIX = 'github/';

export async function evaluateBuiltin(spec: BuiltinEvaluator, ctx: EvaluationContext): Promise<EvaluationResult> {
  const judge = spec.uses.startsWith(PREFIX) ? BUILTIN_JUDGES[spec.uses.slice(PREFIX.length)] : undefined;
  if (!judge || !Object.hasOwn(BUILTIN_JUDGES, spec.uses.slice(PREFIX.length))) {
    return { evaluatorName: spec.name, score: 0, passed: false, details: `Plugin evaluator '${spec.uses}' not found` };
  }
  const messages: ChatMessage[] = [
    { role: 'system', content: SYSTEM },
    { role: 'user', content: renderTemplate(judge.prompt, judgeVars(ctx)) },
  ];
  try {
    const answer = await askJudge(ctx, undefined, messages);
    return {
      ...matchChoice(spec.name, [...STAR_CHOICES], answer.text),
      judge: { model: answer.model, reply: answer.text },
    };
  } catch (error) {
    if (error instanceof JudgeError) return evaluatorError(spec.name, error.message);
    throw error;
  }
}
