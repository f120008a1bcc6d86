// Checks that tie templates to test data: placeholders without a value in some case, test-data
// keys nothing uses, and `{{ spaced }}` placeholders that only PromptLab fills in.
import type { PromptFile, Range, TestCase } from '../model';
import { findPlaceholders } from '../template';
import type { Checker } from './checker';

export interface TemplateSite {
  text: string;
  /** File the text lives in (the prompt file, or a `content: {file}` file). */
  file: string;
  /** message: sent to the model; evaluator: compared with the reply; judge: an llm judge prompt (gets `{{completion}}`). */
  kind: 'message' | 'evaluator' | 'judge';
  label: string;
  rangeOf(start: number, end: number): Range;
}

/** A variable an evaluator reads without a placeholder in the file (e.g. `uses: github/similarity` reads `expected`). */
export interface ImplicitVariable {
  name: string;
  file: string;
  range: Range;
  label: string;
}

/** Variables the runner supplies to judge prompts. */
const JUDGE_VARIABLES = ['completion'];

export function checkTemplates(
  checker: Checker,
  prompt: PromptFile,
  caseKeyRanges: Map<string, { file: string; range: Range }>,
  implicit: ImplicitVariable[],
): void {
  const used = new Set<string>();
  const cases = prompt.testData;
  for (const site of checker.templates) {
    const seen = new Set<string>();
    for (const placeholder of findPlaceholders(site.text)) {
      used.add(placeholder.name);
      const range = site.rangeOf(placeholder.start, placeholder.end);
      if (placeholder.spaced) {
        const tight = `{{${placeholder.name}}}`;
        checker.diagnostics.push({
          file: site.file,
          range,
          severity: 'info',
          code: 'spaced-placeholder',
          message: `PromptLab fills in \`{{ ${placeholder.name} }}\`, but gh-models only replaces \`${tight}\` (no spaces) and would send this text unchanged`,
          fix: { kind: 'replaceText', text: tight },
        });
      }
      if (seen.has(placeholder.name)) continue;
      seen.add(placeholder.name);
      if (site.kind === 'judge' && JUDGE_VARIABLES.includes(placeholder.name)) continue;
      // gh-models runs a file without test data once, with no variables: placeholders are sent as
      // written. That is a legitimate way to write a one-off prompt, so only cases are checked.
      const missing = casesWithout(cases, placeholder.name);
      if (missing.length === 0) continue;
      checker.diagnostics.push({
        file: site.file,
        range,
        severity: 'warning',
        code: 'missing-variable',
        message: `\`{{${placeholder.name}}}\` (${site.label}) has no value in ${describeCases(missing, cases.length)}; it is left unchanged there`,
        fix: { kind: 'addVariable', variable: placeholder.name },
      });
    }
  }
  for (const use of implicit) {
    used.add(use.name);
    const missing = casesWithout(cases, use.name);
    if (missing.length === 0) continue;
    checker.diagnostics.push({
      file: use.file,
      range: use.range,
      severity: 'warning',
      code: 'missing-variable',
      message: `${use.label} reads \`${use.name}\` from each test case, but ${describeCases(missing, cases.length)} ${missing.length === 1 ? 'has' : 'have'} none`,
      fix: { kind: 'addVariable', variable: use.name },
    });
  }
  for (const [key, where] of caseKeyRanges) {
    if (used.has(key)) continue;
    checker.diagnostics.push({
      file: where.file,
      range: where.range,
      severity: 'info',
      code: 'unused-variable',
      message: `Test-data key \`${key}\` is not used by any message or evaluator`,
    });
  }
}

function casesWithout(cases: TestCase[], name: string): number[] {
  return cases.filter((c) => !Object.prototype.hasOwnProperty.call(c.vars, name)).map((c) => c.index);
}

/** "test case 2" / "test cases 1, 3 and 4 (of 9)" with 1-based numbers, at most 5 listed. */
export function describeCases(indexes: number[], total: number): string {
  const numbers = indexes.map((i) => String(i + 1));
  const of = total > 1 ? ` (of ${total})` : '';
  if (numbers.length === 1) return `test case ${numbers[0]}${of}`;
  const shown = numbers.slice(0, 5);
  const rest = numbers.length - shown.length;
  const list =
    rest > 0
      ? `${shown.join(', ')} and ${rest} more`
      : `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
  return `test cases ${list}${of}`;
}
