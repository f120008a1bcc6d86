// `evaluators:` — gh-models' string / llm / uses, plus our extension kinds. String values are
// kept as raw templates; the evaluator renders them per case.
import { isMap, isScalar, isSeq, type YAMLMap } from 'yaml';
import type { EvaluatorSpec, LlmChoice, PromptFile, Range, StringCriterion } from '../model';
import { BUILTIN_EVALUATORS, BUILTINS_USING_EXPECTED, EVALUATOR_KIND_KEYS, STRING_CRITERIA } from './keys';
import { type Checker, describeNode, type Entry, isEmptyNode, truncate } from './checker';
import { didYouMean } from './suggest';

type KindKey = (typeof EVALUATOR_KIND_KEYS)[number];

export function parseEvaluators(checker: Checker, node: unknown, prompt: PromptFile): EvaluatorSpec[] {
  if (!isSeq(node)) {
    checker.report(node, 'error', 'wrong-type', `\`evaluators\` must be a list, not ${describeNode(node)}`);
    return [];
  }
  const specs: EvaluatorSpec[] = [];
  const names = new Map<string, number>();

  const rule = 'Each evaluator must be a mapping (name plus one of string, llm, uses, …)';
  checker.forEachMapping(node, rule, 'evaluator', (item, i) => {
    checker.checkKeys(item, 'evaluator', `evaluator ${i + 1}`);
    const namePair = checker.pair(item, 'name');
    let name = namePair ? checker.text(namePair.value, 'name') : undefined;
    if (name === undefined || name.trim() === '') {
      checker.report(
        namePair ? namePair.key : checker.headOf(item),
        'warning',
        'missing-evaluator-name',
        `Evaluator ${i + 1} has no \`name\`; results will show it as "evaluator ${i + 1}"`,
      );
      name = `evaluator ${i + 1}`;
    } else {
      const previous = names.get(name);
      if (previous !== undefined) {
        // gh-models accepted duplicates, so this stays a warning: results of the two are hard to tell apart.
        checker.report(
          namePair?.value,
          'warning',
          'duplicate-evaluator-name',
          `Evaluator name "${truncate(name)}" is already used by evaluator ${previous + 1}; results are matched by name`,
        );
      } else {
        names.set(name, i);
      }
    }

    const kinds = EVALUATOR_KIND_KEYS.map((k) => ({ kind: k, pair: checker.pair(item, k) })).filter(
      (k): k is { kind: KindKey; pair: Entry } => k.pair !== undefined,
    );
    const chosen = kinds[0];
    if (!chosen) {
      checker.report(
        namePair ? namePair.key : checker.headOf(item),
        'error',
        'evaluator-without-kind',
        `Evaluator "${truncate(name)}" has none of \`string\`, \`llm\` or \`uses\` (PromptLab also accepts regex, notContains, json, jsonSchema, length, latencyMs, costUsd, similarity)`,
      );
      return;
    }
    for (const other of kinds.slice(1)) {
      checker.report(
        other.pair.key,
        'warning',
        'ignored-evaluator-kind',
        `Evaluator "${truncate(name)}" already uses \`${chosen.kind}\`; \`${other.kind}\` is ignored (one kind per evaluator)`,
      );
    }
    const range = checker.rangeOf(item);
    const spec = parseKind(checker, chosen.kind, chosen.pair, name, range, prompt);
    if (spec) specs.push(spec);
  });
  return specs;
}

function parseKind(
  checker: Checker,
  kind: KindKey,
  pair: Entry,
  name: string,
  range: Range,
  prompt: PromptFile,
): EvaluatorSpec | undefined {
  const value = pair.value;
  const base = { name, range };
  const label = `evaluator "${truncate(name)}"`;
  switch (kind) {
    case 'string':
      return parseString(checker, pair, name, range, label);
    case 'llm':
      return parseLlm(checker, pair, name, range, label);
    case 'uses': {
      const uses = checker.text(value, 'uses');
      if (uses === undefined || uses.trim() === '') {
        return checker.rejectValue(
          pair,
          'missing-field',
          '`uses` needs a built-in evaluator name such as github/similarity',
        );
      }
      if (!(BUILTIN_EVALUATORS as readonly string[]).includes(uses)) {
        const suggestion = didYouMean(uses, BUILTIN_EVALUATORS);
        checker.report(
          value,
          'warning',
          'unknown-builtin',
          `Unknown built-in evaluator "${truncate(uses)}": it always fails with "not found" (known: ${BUILTIN_EVALUATORS.join(', ')})${suggestion ? `. Did you mean \`${suggestion}\`?` : ''}`,
          suggestion ? { kind: 'replaceText', text: suggestion } : undefined,
        );
      } else if ((BUILTINS_USING_EXPECTED as readonly string[]).includes(uses)) {
        checker.implicitVariables.push({
          name: 'expected',
          file: checker.file,
          range: checker.rangeOf(value),
          label: `\`uses: ${uses}\``,
        });
      }
      return { ...base, kind: 'builtin', uses };
    }
    case 'regex': {
      let patternNode: unknown = value;
      let flags = '';
      if (isMap(value)) {
        checker.checkKeys(value, 'regexEvaluator', '`regex`');
        const patternPair = checker.pair(value, 'pattern');
        if (!patternPair) {
          checker.report(pair.key, 'error', 'missing-field', '`regex` needs a `pattern`');
          return undefined;
        }
        patternNode = patternPair.value;
        const flagsPair = checker.pair(value, 'flags');
        if (flagsPair) {
          const text = checker.text(flagsPair.value, 'flags') ?? '';
          if (!/^[dgimsuyv]*$/.test(text) || new Set(text).size !== text.length) {
            checker.report(
              flagsPair.value,
              'error',
              'invalid-regex',
              `Invalid regex flags "${truncate(text)}" (allowed once each: d g i m s u v y)`,
            );
            return undefined;
          }
          flags = text;
        }
      }
      const pattern = checker.text(patternNode, 'pattern');
      if (pattern === undefined) {
        if (isEmptyNode(patternNode)) checker.report(pair.key, 'error', 'missing-field', '`regex` needs a pattern');
        return undefined;
      }
      // The pattern is a template; check it with every placeholder filled by a plain word.
      const sample = pattern.replace(/\{\{[^{}\r\n]*\}\}/g, 'x');
      try {
        new RegExp(sample, flags);
      } catch (e) {
        // V8's message already starts with "Invalid regular expression" and shows the pattern.
        checker.report(
          patternNode,
          'error',
          'invalid-regex',
          e instanceof Error ? e.message : `Invalid regular expression: ${String(e)}`,
        );
        return undefined;
      }
      checker.addScalarTemplate(patternNode, pattern, 'evaluator', label);
      return { ...base, kind: 'regex', pattern, flags };
    }
    case 'notContains': {
      const text = checker.text(value, 'notContains');
      if (text === undefined || text === '') {
        return checker.rejectValue(pair, 'missing-field', '`notContains` needs the text that must not appear');
      }
      checker.addScalarTemplate(value, text, 'evaluator', label);
      return { ...base, kind: 'notContains', value: text };
    }
    case 'json': {
      if (!(isScalar(value) && value.value === true)) {
        return checker.rejectValue(pair, 'wrong-type', '`json` takes `true` (the reply must parse as JSON)');
      }
      return { ...base, kind: 'json' };
    }
    case 'jsonSchema': {
      if (isScalar(value) && value.value === true) {
        if (!prompt.jsonSchema) {
          checker.report(
            pair.key,
            'error',
            'missing-json-schema',
            "`jsonSchema: true` checks the reply against the file's `jsonSchema`, but the file has no valid `jsonSchema`; give the schema inline instead",
          );
          return undefined;
        }
        return { ...base, kind: 'jsonSchema' };
      }
      if (!isMap(value)) {
        return checker.rejectValue(
          pair,
          'wrong-type',
          `\`jsonSchema\` takes \`true\` (use the file's jsonSchema) or an inline JSON Schema mapping, not ${describeNode(value)}`,
        );
      }
      const schema: unknown = checker.toJS(value);
      if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return undefined;
      const problem = checker.schemaCompileError(schema as Record<string, unknown>);
      if (problem) {
        checker.report(pair.key, 'error', 'invalid-json-schema', `The inline JSON Schema does not compile: ${problem}`);
        return undefined;
      }
      return { ...base, kind: 'jsonSchema', schema: schema as Record<string, unknown> };
    }
    case 'length': {
      if (!isMap(value)) {
        return checker.rejectValue(pair, 'wrong-type', '`length` takes `{min, max}` (characters of the reply)');
      }
      checker.checkKeys(value, 'lengthEvaluator', '`length`');
      const minPair = checker.pair(value, 'min');
      const maxPair = checker.pair(value, 'max');
      if (!minPair && !maxPair) {
        checker.report(pair.key, 'error', 'missing-field', '`length` needs `min`, `max` or both');
        return undefined;
      }
      const min = minPair ? checker.number(minPair.value, 'min', { integer: true, min: 0 }) : undefined;
      const max = maxPair ? checker.number(maxPair.value, 'max', { integer: true, min: 0 }) : undefined;
      if ((minPair && min === undefined) || (maxPair && max === undefined)) return undefined;
      if (min !== undefined && max !== undefined && min > max) {
        checker.report(
          maxPair?.value,
          'error',
          'out-of-range',
          `\`length\`: max (${max}) is smaller than min (${min})`,
        );
        return undefined;
      }
      return { ...base, kind: 'length', ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) };
    }
    case 'latencyMs':
    case 'costUsd': {
      const max = parseMax(checker, pair, kind);
      if (max === undefined) return undefined;
      return { ...base, kind, max };
    }
    case 'similarity': {
      let expected = '{{expected}}';
      let threshold = 0.8;
      let modelId: string | undefined;
      if (isMap(value)) {
        checker.checkKeys(value, 'similarityEvaluator', '`similarity`');
        const expectedPair = checker.pair(value, 'expected');
        if (expectedPair) {
          const text = checker.text(expectedPair.value, 'expected');
          if (text === undefined || text === '') {
            return checker.rejectValue(
              expectedPair,
              'missing-field',
              '`expected` needs the reference text (a template)',
            );
          }
          expected = text;
          checker.addScalarTemplate(expectedPair.value, text, 'evaluator', label);
        }
        const thresholdPair = checker.pair(value, 'threshold');
        if (thresholdPair) {
          const t = checker.number(thresholdPair.value, 'threshold', { min: 0, max: 1 });
          if (t === undefined) return undefined;
          threshold = t;
        }
        const modelPair = checker.pair(value, 'model');
        if (modelPair) modelId = checker.text(modelPair.value, 'model');
      } else if (!isEmptyNode(value) && !(isScalar(value) && value.value === true)) {
        checker.report(
          value,
          'error',
          'wrong-type',
          `\`similarity\` takes \`true\` or \`{expected, threshold, model}\`, not ${describeNode(value)}`,
        );
        return undefined;
      }
      if (expected === '{{expected}}' && !(isMap(value) && checker.pair(value, 'expected'))) {
        checker.implicitVariables.push({
          name: 'expected',
          file: checker.file,
          range: checker.rangeOf(pair.key),
          label: '`similarity`',
        });
      }
      return { ...base, kind: 'similarity', expected, threshold, ...(modelId ? { modelId } : {}) };
    }
  }
}

function parseMax(checker: Checker, pair: Entry, kind: 'latencyMs' | 'costUsd'): number | undefined {
  let node: unknown = pair.value;
  if (isMap(node)) {
    checker.checkKeys(node, kind === 'latencyMs' ? 'latencyEvaluator' : 'costEvaluator', `\`${kind}\``);
    const maxPair = checker.pair(node, 'max');
    if (!maxPair) {
      checker.report(pair.key, 'error', 'missing-field', `\`${kind}\` needs \`max\``);
      return undefined;
    }
    node = maxPair.value;
  } else if (isEmptyNode(node)) {
    checker.report(
      pair.key,
      'error',
      'missing-field',
      `\`${kind}\` needs a maximum: \`${kind}: {max: N}\` or \`${kind}: N\``,
    );
    return undefined;
  }
  return kind === 'latencyMs'
    ? checker.number(node, 'latencyMs max', { min: 0, exclusiveMin: true })
    : checker.number(node, 'costUsd max', { min: 0 });
}

function parseString(
  checker: Checker,
  pair: Entry,
  name: string,
  range: Range,
  label: string,
): EvaluatorSpec | undefined {
  const value = pair.value;
  if (!isMap(value)) {
    return checker.rejectValue(
      pair,
      'missing-criterion',
      `\`string\` needs one of equals, contains, startsWith, endsWith${isEmptyNode(value) ? '' : `, not ${describeNode(value)}`}`,
    );
  }
  checker.checkKeys(value, 'stringEvaluator', '`string`');
  let chosen: { criterion: StringCriterion; text: string; pair: Entry } | undefined;
  for (const criterion of STRING_CRITERIA) {
    const p = checker.pair(value, criterion);
    if (!p) continue;
    const text = checker.text(p.value, criterion);
    // gh-models treated an empty criterion as not set.
    if (text === undefined || text === '') continue;
    if (!chosen) {
      chosen = { criterion, text, pair: p };
      checker.addScalarTemplate(p.value, text, 'evaluator', label);
    } else {
      checker.report(
        p.key,
        'warning',
        'ignored-criterion',
        `Only \`${chosen.criterion}\` is used: gh-models checks equals, contains, startsWith, endsWith in that order and uses the first one set`,
      );
    }
  }
  if (!chosen) {
    checker.report(
      pair.key,
      'error',
      'missing-criterion',
      '`string` needs one of equals, contains, startsWith, endsWith (non-empty)',
    );
    return undefined;
  }
  return { name, range, kind: 'string', criterion: chosen.criterion, value: chosen.text };
}

function parseLlm(checker: Checker, pair: Entry, name: string, range: Range, label: string): EvaluatorSpec | undefined {
  const value = pair.value;
  if (!isMap(value)) {
    return checker.rejectValue(pair, 'wrong-type', '`llm` needs a mapping with modelId, prompt and choices');
  }
  checker.checkKeys(value, 'llmEvaluator', '`llm`');
  const required = (key: string): { text: string; node: unknown } | undefined => {
    const p = checker.pair(value, key);
    const text = p ? checker.text(p.value, key) : undefined;
    if (text === undefined || text.trim() === '') {
      const message = `\`llm\` needs \`${key}\``;
      if (p) return checker.rejectValue(p, 'missing-field', message);
      checker.report(pair.key, 'error', 'missing-field', message);
      return undefined;
    }
    return { text, node: p?.value };
  };
  const modelId = required('modelId');
  const prompt = required('prompt');
  const systemPair = checker.pair(value, 'systemPrompt');
  const systemPrompt = systemPair ? checker.text(systemPair.value, 'systemPrompt') : undefined;
  if (prompt) checker.addScalarTemplate(prompt.node, prompt.text, 'judge', `${label} prompt`);
  if (systemPair && systemPrompt !== undefined)
    checker.addScalarTemplate(systemPair.value, systemPrompt, 'judge', `${label} systemPrompt`);

  let mode: 'choices' | 'structured' = 'choices';
  const modePair = checker.pair(value, 'mode');
  if (modePair) {
    const text = checker.text(modePair.value, 'mode');
    if (text === 'structured' || text === 'choices') mode = text;
    else {
      return checker.rejectValue(
        modePair,
        'wrong-type',
        '`mode` is `choices` (default: match the judge reply against choices) or `structured` (judge replies JSON {score, reason})',
      );
    }
  }
  const thresholdPair = checker.pair(value, 'threshold');
  let threshold: number | undefined;
  if (thresholdPair) {
    if (mode !== 'structured')
      checker.report(
        thresholdPair.key,
        'warning',
        'unused-key',
        '`threshold` is only used with `mode: structured` (choices mode passes when the chosen score is > 0)',
      );
    else {
      threshold = checker.number(thresholdPair.value, 'threshold', { min: 0, max: 1 });
      if (threshold === undefined) return undefined;
    }
  }
  const choicesPair = checker.pair(value, 'choices');
  const choices: LlmChoice[] = [];
  if (mode === 'structured') {
    if (choicesPair)
      checker.report(
        choicesPair.key,
        'warning',
        'unused-key',
        '`choices` is ignored with `mode: structured` (the judge replies with a score)',
      );
  } else if (!choicesPair || isEmptyNode(choicesPair.value)) {
    checker.report(
      choicesPair ? choicesPair.key : pair.key,
      'error',
      'missing-field',
      '`llm` needs `choices`: a list of {choice, score}',
    );
    return undefined;
  } else if (!isSeq(choicesPair.value)) {
    checker.report(
      choicesPair.value,
      'error',
      'wrong-type',
      `\`choices\` must be a list of {choice, score}, not ${describeNode(choicesPair.value)}`,
    );
    return undefined;
  } else {
    let ok = true;
    checker.items(choicesPair.value).forEach((item, i) => {
      const parsed = parseChoice(checker, item, i);
      if (parsed) choices.push(parsed);
      else ok = false;
    });
    if (!ok) return undefined;
    if (choices.length === 0) {
      checker.report(choicesPair.key, 'error', 'missing-field', '`choices` is empty');
      return undefined;
    }
  }
  if (!modelId || !prompt) return undefined;
  return {
    name,
    range,
    kind: 'llm',
    modelId: modelId.text,
    prompt: prompt.text,
    ...(systemPrompt !== undefined ? { systemPrompt } : {}),
    choices,
    mode,
    ...(threshold !== undefined ? { threshold } : mode === 'structured' ? { threshold: 0.5 } : {}),
  };
}

function parseChoice(checker: Checker, item: unknown, i: number): LlmChoice | undefined {
  if (!isMap(item)) {
    checker.report(
      item,
      'error',
      'wrong-type',
      `Choice ${i + 1} must be a mapping {choice, score}, not ${describeNode(item)}`,
    );
    return undefined;
  }
  const map: YAMLMap = item;
  checker.checkKeys(map, 'llmChoice', `choice ${i + 1}`);
  const choicePair = checker.pair(map, 'choice');
  const scorePair = checker.pair(map, 'score');
  const choice = choicePair ? checker.text(choicePair.value, 'choice') : undefined;
  if (choice === undefined || choice === '') {
    const message = `Choice ${i + 1} needs \`choice\` (the text to look for in the judge's reply)`;
    if (choicePair) return checker.rejectValue(choicePair, 'missing-field', message);
    checker.report(checker.headOf(map), 'error', 'missing-field', message);
    return undefined;
  }
  if (!scorePair) {
    checker.report(
      checker.headOf(map),
      'error',
      'missing-field',
      `Choice ${i + 1} needs \`score\` (a number; > 0 passes)`,
    );
    return undefined;
  }
  const score = checker.number(scorePair.value, 'score');
  if (score === undefined) return undefined;
  return { choice, score };
}
