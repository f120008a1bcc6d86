import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { keyDigest, startStandin, type Standin } from '../../../src/standin/server';
import { XSS_PAYLOAD } from '../../../src/standin/reply';
import { REPO_ROOT } from '../support/repoRoot';

interface ChatBody {
  model?: string;
  messages: { role: string; content: string }[];
  [key: string]: unknown;
}

async function chat(
  standin: Standin,
  body: ChatBody,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: Record<string, unknown>; headers: Headers }> {
  const response = await fetch(`${standin.url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ model: 'standin', ...body }),
  });
  return {
    status: response.status,
    json: (await response.json()) as Record<string, unknown>,
    headers: response.headers,
  };
}

function replyText(json: Record<string, unknown>): string {
  const choices = json.choices as { message: { content: string } }[];
  return choices[0]?.message.content ?? '';
}

async function streamEvents(
  standin: Standin,
  body: ChatBody,
): Promise<{ raw: string; events: Record<string, unknown>[] }> {
  const response = await fetch(`${standin.url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'standin', stream: true, ...body }),
  });
  assert.equal(response.headers.get('content-type'), 'text/event-stream');
  const raw = await response.text();
  const events = raw
    .split('\n\n')
    .filter((block) => block.startsWith('data: ') && block !== 'data: [DONE]')
    .map((block) => JSON.parse(block.slice(6)) as Record<string, unknown>);
  return { raw, events };
}

const user = (content: string): ChatBody => ({ messages: [{ role: 'user', content }] });

void describe('stand-in server', () => {
  let standin: Standin;
  before(async () => {
    standin = await startStandin();
  });
  after(async () => {
    await standin.close();
  });

  void it('listens on 127.0.0.1 and lists models', async () => {
    assert.match(standin.url, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const response = await fetch(`${standin.url}/models`);
    const json = (await response.json()) as { data: { id: string }[] };
    assert.ok(json.data.some((m) => m.id === 'standin-upper'));
  });

  void it('echoes the last user message and always reports usage when not streaming', async () => {
    const { status, json } = await chat(standin, {
      messages: [
        { role: 'system', content: 'be brief' },
        { role: 'user', content: 'first question' },
        { role: 'assistant', content: 'ok' },
        { role: 'user', content: 'What is   the capital?' },
      ],
    });
    assert.equal(status, 200);
    assert.equal(replyText(json), 'Echo: What is   the capital?');
    // Words: "be brief"=2, "first question"=2, "ok"=1, "What is the capital?"=4 → 9; reply 5.
    assert.deepEqual(json.usage, { prompt_tokens: 9, completion_tokens: 5, total_tokens: 14 });
  });

  void it('streams one SSE chunk per word, then the usage chunk with empty choices, then [DONE]', async () => {
    const { raw, events } = await streamEvents(standin, {
      ...user('one two three'),
      stream_options: { include_usage: true },
    });
    assert.ok(raw.endsWith('data: [DONE]\n\n'));
    const deltas = events.flatMap((e) =>
      (e.choices as { delta: { content?: string } }[]).map((c) => c.delta.content ?? ''),
    );
    assert.deepEqual(
      deltas.filter((d) => d !== ''),
      ['Echo: ', 'one ', 'two ', 'three'],
    );
    const last = events[events.length - 1] as { choices: unknown[]; usage: unknown };
    assert.deepEqual(last.choices, []);
    assert.deepEqual(last.usage, { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 });
    const finish = events
      .flatMap((e) => (e.choices as { finish_reason: string | null }[]).map((c) => c.finish_reason))
      .filter((f) => f !== null);
    assert.deepEqual(finish, ['stop']);
  });

  void it('omits the usage chunk when include_usage is not asked for', async () => {
    const { events } = await streamEvents(standin, user('hi'));
    assert.ok(events.every((e) => e.usage === undefined));
  });

  void it('follows the reply language: reply, html, json, json_schema, lorem, max_tokens, stop', async () => {
    assert.equal(replyText((await chat(standin, user('x [[reply: Paris]] y'))).json), 'Paris');
    assert.equal(
      replyText(
        (
          await chat(standin, {
            messages: [
              { role: 'system', content: '[[reply: from system]]' },
              { role: 'user', content: 'q' },
            ],
          })
        ).json,
      ),
      'from system',
    );
    assert.equal(replyText((await chat(standin, user('[[html]]'))).json), XSS_PAYLOAD);
    assert.deepEqual(
      JSON.parse(replyText((await chat(standin, { ...user('hi'), response_format: { type: 'json_object' } })).json)),
      { reply: 'Echo: hi' },
    );
    assert.deepEqual(JSON.parse(replyText((await chat(standin, user('[[json]] hi'))).json)), {
      reply: 'Echo: [[json]] hi',
    });
    const schema = {
      type: 'object',
      properties: {
        name: { type: 'string' },
        diet: { type: 'string', enum: ['carnivore', 'herbivore'] },
        legs: { type: 'integer', minimum: 2 },
        tags: { type: 'array', items: { type: 'string' } },
      },
      required: ['name', 'diet'],
      additionalProperties: false,
    };
    const structured = JSON.parse(
      replyText(
        (
          await chat(standin, {
            ...user('dog'),
            response_format: { type: 'json_schema', json_schema: { name: 'animal', schema, strict: true } },
          })
        ).json,
      ),
    ) as Record<string, unknown>;
    assert.deepEqual(structured, { name: 'stand-in name', diet: 'carnivore', legs: 2, tags: ['stand-in tags'] });
    assert.equal(replyText((await chat(standin, user('[[lorem: 5]]'))).json), 'lorem ipsum dolor sit amet');
    const limited = await chat(standin, { ...user('a b c d e f'), max_tokens: 3 });
    assert.equal(replyText(limited.json), 'Echo: a b');
    assert.equal((limited.json.choices as { finish_reason: string }[])[0]?.finish_reason, 'length');
    assert.equal(replyText((await chat(standin, { ...user('alpha STOP beta'), stop: ['STOP'] })).json), 'Echo: alpha ');
  });

  void it('applies model knobs so two models reply differently', async () => {
    assert.equal(
      replyText((await chat(standin, { ...user('hi there'), model: 'standin-upper' })).json),
      'ECHO: HI THERE',
    );
    assert.equal(
      replyText((await chat(standin, { ...user('hi there'), model: 'standin-bad' })).json),
      'Sorry, I cannot help with that.',
    );
  });

  void it('answers judge requests with the verdict written in the judged text, 4 by default', async () => {
    const judgePrompt = (completion: string): ChatBody => ({
      messages: [
        { role: 'system', content: 'Rate the answer from 1 to 5 stars.' },
        { role: 'user', content: `Answer: ${completion}\nStars:` },
      ],
    });
    assert.equal(replyText((await chat(standin, judgePrompt('Echo: fine answer'))).json), '4');
    assert.equal(replyText((await chat(standin, judgePrompt('Echo: [[judge: 2]] weak answer'))).json), '2');
    assert.equal(replyText((await chat(standin, { ...user('is this good? [[judge]] [[judge: yes]]') })).json), 'yes');
    assert.equal(
      replyText((await chat(standin, { ...user('Echo: [[judge: no]]'), model: 'standin-judge' })).json),
      'no',
    );
    const structured = await chat(standin, {
      ...user('[[judge]] text [[judge: 0.25]]'),
      response_format: { type: 'json_object' },
    });
    assert.deepEqual(JSON.parse(replyText(structured.json)), { score: 0.25, reason: 'stand-in verdict' });
    // Outside a judge request a verdict directive is just text to echo.
    assert.equal(replyText((await chat(standin, user('[[judge: 2]] q'))).json), 'Echo: [[judge: 2]] q');
  });

  void it('returns deterministic embeddings (base64 or float) with high cosine for similar texts', async () => {
    const embed = async (input: string[], encoding: 'float' | 'base64'): Promise<number[][]> => {
      const response = await fetch(`${standin.url}/embeddings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'standin-embed', input, encoding_format: encoding }),
      });
      const json = (await response.json()) as { data: { embedding: number[] | string }[] };
      return json.data.map((d) =>
        typeof d.embedding === 'string'
          ? Array.from(new Float32Array(new Uint8Array(Buffer.from(d.embedding, 'base64')).buffer))
          : d.embedding,
      );
    };
    const texts = ['the cat sat on the mat', 'the cat sat on a mat', 'quantum chromodynamics lecture'];
    const [a, b, c] = await embed(texts, 'float');
    const cosine = (x: number[] = [], y: number[] = []): number => x.reduce((s, v, i) => s + v * (y[i] ?? 0), 0);
    assert.ok(cosine(a, b) > 0.8, `similar texts: ${cosine(a, b)}`);
    assert.ok(cosine(a, c) < 0.2, `different texts: ${cosine(a, c)}`);
    const [a64] = await embed(texts.slice(0, 1), 'base64');
    assert.equal(a64?.length, a?.length);
    a64?.forEach((v, i) => assert.ok(Math.abs(v - (a?.[i] ?? 0)) < 1e-6));
  });

  void it('records requests without key values', async () => {
    standin.resetStats();
    await chat(standin, { ...user('hi'), temperature: 0.3 }, { authorization: 'Bearer sk-secret-123' });
    const recorded = standin.lastRequest();
    assert.equal(recorded?.headers.authorization, '[redacted]');
    assert.equal(recorded?.keyDigest, keyDigest('sk-secret-123'));
    assert.equal((recorded?.body as { temperature: number }).temperature, 0.3);
    assert.equal(recorded?.outcome, 200);
    assert.ok(!JSON.stringify(standin.requests).includes('sk-secret-123'));
  });

  void it('serves Azure deployment paths, taking the model from the path', async () => {
    const response = await fetch(
      `${standin.origin}/openai/deployments/my-upper-deploy/chat/completions?api-version=2024-10-21`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'api-key': 'k' },
        body: JSON.stringify(user('hi')),
      },
    );
    assert.equal(replyText((await response.json()) as Record<string, unknown>), 'ECHO: HI');
    assert.equal(standin.lastRequest()?.query['api-version'], '2024-10-21');
  });

  void it('rejects bad bodies with 400 and OpenAI-style errors', async () => {
    const response = await fetch(`${standin.url}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{not json',
    });
    assert.equal(response.status, 400);
    const json = (await response.json()) as { error: { message: string } };
    assert.match(json.error.message, /JSON object/);
  });
});

void describe('stand-in failure knobs', () => {
  let standin: Standin;
  before(async () => {
    standin = await startStandin();
  });
  after(async () => {
    await standin.close();
  });

  void it('requireKey gives 401 for a missing or wrong key; knownModels gives 404', async () => {
    standin.setOptions({ requireKey: 'right', knownModels: ['standin'] });
    try {
      assert.equal((await chat(standin, user('x'))).status, 401);
      const wrong = await chat(standin, user('x'), { authorization: 'Bearer wrong' });
      assert.equal(wrong.status, 401);
      assert.equal((wrong.json.error as { code: string }).code, 'invalid_api_key');
      assert.equal((await chat(standin, user('x'), { authorization: 'Bearer right' })).status, 200);
      const missing = await chat(standin, { ...user('x'), model: 'nope' }, { authorization: 'Bearer right' });
      assert.equal(missing.status, 404);
      assert.equal((missing.json.error as { code: string }).code, 'model_not_found');
    } finally {
      standin.setOptions({ requireKey: undefined, knownModels: undefined });
    }
  });

  void it('fail429Rate spreads failures evenly starting with the first request, with Retry-After', async () => {
    standin.resetStats();
    standin.setOptions({ fail429Rate: 0.5, retryAfterMs: 1500 });
    try {
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 4; i++) {
        const result = await chat(standin, user('x'));
        statuses.push(result.status);
        if (result.status === 429) retryAfter = result.headers.get('retry-after');
      }
      assert.deepEqual(statuses, [429, 200, 429, 200]);
      assert.equal(retryAfter, '2');
      assert.deepEqual(standin.stats.byStatus, { 200: 2, 429: 2 });
    } finally {
      standin.setOptions({ fail429Rate: 0 });
    }
  });

  void it('failNext scripts statuses and drops; [[status: N]] fails one case', async () => {
    standin.setOptions({ failNext: [{ status: 500 }, { drop: 'headers' }] });
    assert.equal((await chat(standin, user('x'))).status, 500);
    await assert.rejects(chat(standin, user('x')));
    assert.equal((await chat(standin, user('x'))).status, 200);
    assert.equal((await chat(standin, user('[[status: 503]] x'))).status, 503);
  });

  void it('embedding requests take the same failures; a bad input is a 400 that consumes none', async () => {
    standin.resetStats();
    const embed = (input: unknown): Promise<Response> =>
      fetch(`${standin.url}/embeddings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'standin-embed', input }),
      });
    standin.setOptions({ failNext: [{ status: 429 }, { drop: 'headers' }, { drop: 'midstream' }] });
    const bad = await embed(42);
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { error: { message: string } }).error.message, /'input' must be/);
    const limited = await embed('x');
    assert.equal(limited.status, 429);
    assert.ok(limited.headers.get('retry-after-ms'));
    await assert.rejects(embed('x'));
    // An embeddings answer is not cut midway: a midstream drop comes before the headers.
    await assert.rejects(embed('x'));
    assert.equal(standin.lastRequest()?.outcome, 'dropped');
    assert.equal((await embed(['x', 'y'])).status, 200);
    assert.equal(standin.stats.embeddingRequests, 5);
    assert.equal(standin.stats.dropped, 2);
    assert.deepEqual(standin.stats.byStatus, { 200: 1, 400: 1, 429: 1 });
  });

  void it('a midstream drop cuts the stream after some text', async () => {
    standin.setOptions({ failNext: [{ drop: 'midstream' }] });
    const response = await fetch(`${standin.url}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'standin', stream: true, ...user('a b c d e f') }),
    });
    assert.equal(response.status, 200);
    const reader = response.body?.getReader();
    assert.ok(reader);
    let received = '';
    const decoder = new TextDecoder();
    await assert.rejects(async () => {
      for (let i = 0; i < 1000; i++) {
        const { done, value } = await reader.read();
        if (done) return;
        received += decoder.decode(value);
      }
    });
    assert.match(received, /"content":"Echo: "/);
    assert.ok(!received.includes('[DONE]'));
    assert.equal(standin.lastRequest()?.outcome, 'dropped');
  });

  void it('counts client aborts during latency and tracks in-flight requests', async () => {
    standin.resetStats();
    standin.setOptions({ latencyMs: 30_000 });
    try {
      const controller = new AbortController();
      const pending = chat(standin, user('slow'), {}).catch(() => 'aborted');
      const pendingAbortable = fetch(`${standin.url}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'standin', ...user('x') }),
        signal: controller.signal,
      }).catch(() => 'aborted');
      await standin.waitFor((s) => s.inFlight === 2 && s.chatRequests === 2);
      assert.equal(standin.stats.maxInFlight, 2);
      controller.abort();
      assert.equal(await pendingAbortable, 'aborted');
      await standin.waitFor((s) => s.clientAborts === 1 && s.inFlight === 1);
      standin.setOptions({ latencyMs: 0 });
      // The still-waiting request is cut by close() in `after`; settle it here instead.
      await standin.close();
      assert.equal(await pending, 'aborted');
    } finally {
      standin = await startStandin();
    }
  });
});

void describe('stand-in CLI', () => {
  void it('prints STANDIN_URL and exits on SIGTERM', async () => {
    const script = path.join(REPO_ROOT, 'dist', 'standin.js');
    const child = spawn(process.execPath, [script, '--port', '0', '--latency-ms', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (data: Buffer) => {
        out += data.toString();
        const match = /STANDIN_URL=(\S+)/.exec(out);
        if (match?.[1]) resolve(match[1]);
      });
      child.once('exit', (code) => reject(new Error(`exited early with ${code}`)));
    });
    const response = await fetch(`${url}/models`);
    assert.equal(response.status, 200);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  });

  void it('rejects unknown flags with exit code 2', async () => {
    const script = path.join(REPO_ROOT, 'dist', 'standin.js');
    const child = spawn(process.execPath, [script, '--bogus', '1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    assert.equal(code, 2);
    assert.match(err, /unknown option --bogus/);
  });
});
