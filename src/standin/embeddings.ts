// Deterministic embeddings: a hashed bag of lower-cased words, L2-normalised. Texts sharing
// words get a high cosine; texts with no word in common get (near) zero.

export const DEFAULT_EMBEDDING_DIMENSIONS = 256;

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

export function embedText(text: string, dimensions = DEFAULT_EMBEDDING_DIMENSIONS): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  for (const word of words) {
    const index = fnv1a(word) % dimensions;
    vector[index] = (vector[index] ?? 0) + 1;
  }
  const norm = Math.sqrt(vector.reduce((sum, v) => sum + v * v, 0));
  // An empty text still gets a unit vector so cosine similarity is defined.
  if (norm === 0) {
    vector[0] = 1;
    return vector;
  }
  return vector.map((v) => v / norm);
}

/** OpenAI's `encoding_format: base64`: little-endian float32 bytes. The openai client asks for this by default. */
export function toBase64Float32(vector: number[]): string {
  const floats = new Float32Array(vector);
  return Buffer.from(floats.buffer, floats.byteOffset, floats.byteLength).toString('base64');
}

/** An embeddings request's `input` as texts: a string or an array of strings; undefined for anything else. */
export function embeddingInputs(input: unknown): string[] | undefined {
  if (typeof input === 'string') return [input];
  return Array.isArray(input) && input.every((i) => typeof i === 'string') ? (input as string[]) : undefined;
}

/** The embeddings `list` object for `inputs`, honouring the request's `dimensions` and `encoding_format`. */
export function embeddingsResponse(
  model: string,
  body: Record<string, unknown>,
  inputs: string[],
  tokens: number,
): Record<string, unknown> {
  const dimensions =
    typeof body.dimensions === 'number' && body.dimensions > 0
      ? Math.min(body.dimensions, 4096)
      : DEFAULT_EMBEDDING_DIMENSIONS;
  const base64 = body.encoding_format === 'base64';
  return {
    object: 'list',
    model,
    data: inputs.map((text, index) => {
      const vector = embedText(text, dimensions);
      return { object: 'embedding', index, embedding: base64 ? toBase64Float32(vector) : vector };
    }),
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  };
}
