// Our extension: embedding similarity. Cosine of the reply's and the (templated) reference's
// embeddings; passes when ≥ threshold. An embedding failure is an evaluator error.
import type { SimilarityEvaluator } from '../model';
import { renderTemplate } from '../template';
import { type EvaluationContext, type EvaluationResult, errorMessage, evaluatorError } from './types';

export function cosineSimilarity(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length || a.length === 0) throw new Error(`embedding sizes differ (${a.length} vs ${b.length})`);
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    dot += x * y;
    normA += x * x;
    normB += y * y;
  }
  if (normA === 0 || normB === 0) return 0;
  return dot / Math.sqrt(normA * normB);
}

export async function evaluateSimilarity(spec: SimilarityEvaluator, ctx: EvaluationContext): Promise<EvaluationResult> {
  if (!ctx.embed) return evaluatorError(spec.name, 'no embedding model is available for this run');
  const expected = renderTemplate(spec.expected, ctx.vars);
  let similarity: number;
  try {
    const vectors = await ctx.embed([ctx.output, expected], spec.modelId, ctx.signal);
    const [reply, reference] = vectors;
    if (!reply || !reference) throw new Error(`expected 2 embeddings, got ${vectors.length}`);
    similarity = cosineSimilarity(reply, reference);
  } catch (error) {
    return evaluatorError(spec.name, `embedding failed: ${errorMessage(error)}`);
  }
  const score = Math.max(0, Math.min(1, similarity));
  return {
    evaluatorName: spec.name,
    score,
    passed: similarity >= spec.threshold,
    details: `Cosine similarity ${similarity.toFixed(3)} (threshold ${spec.threshold}) to '${expected.length > 80 ? `${expected.slice(0, 80)}…` : expected}'`,
  };
}
