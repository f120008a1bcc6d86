// The GitHub Models catalog table as loaded from its data file, and the checks the loader makes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { catalogFromJson, findCatalogEntry, GH_MODELS_CATALOG } from '../../../../src/core/providers/ghModelsCatalog';

void describe('GitHub Models catalog data', () => {
  void it('loads every row with its names, stand-ins and their notes', () => {
    assert.equal(GH_MODELS_CATALOG.length, 58);
    assert.deepEqual(findCatalogEntry('openai/o1-preview'), {
      id: 'openai/o1-preview',
      label: 'OpenAI o1-preview',
      kind: 'chat',
      names: {
        openai: { model: 'o1', substitute: 'o1-preview is retired at OpenAI; o1 replaced it' },
        azure: { model: 'o1-preview' },
        openrouter: { model: 'openai/o1', substitute: 'o1-preview is retired; o1 replaced it' },
        ollama: {
          model: 'gpt-oss:120b',
          substitute: "OpenAI's larger open-weight model; Ollama has no build of this hosted OpenAI model",
        },
      },
    });
    const embedding = findCatalogEntry('cohere/cohere-embed-v3-english');
    assert.equal(embedding?.kind, 'embedding');
    assert.deepEqual(Object.keys(embedding?.names ?? {}), ['azure', 'ollama']);
    assert.equal(embedding?.names.ollama?.model, 'nomic-embed-text');
    assert.deepEqual(findCatalogEntry('core42/jais-30b-chat')?.names, { azure: { model: 'jais-30b-chat' } });
  });

  void it('gives each row its own copy of a shared stand-in', () => {
    const table = catalogFromJson({
      sharedSubstitutes: { small: { model: 's:1b', substitute: 'a smaller open model' } },
      models: [
        { id: 'a/one', label: 'One', ollama: { shared: 'small' } },
        { id: 'a/two', label: 'Two', kind: 'embedding', openai: 'two', ollama: { shared: 'small' } },
      ],
    });
    assert.deepEqual(table[1], {
      id: 'a/two',
      label: 'Two',
      kind: 'embedding',
      names: { openai: { model: 'two' }, ollama: { model: 's:1b', substitute: 'a smaller open model' } },
    });
    assert.notEqual(table[0]?.names.ollama, table[1]?.names.ollama);
  });

  void it('refuses a malformed table, naming the row and the field', () => {
    const load =
      (models: unknown[], sharedSubstitutes: unknown = {}) =>
      () =>
        catalogFromJson({ sharedSubstitutes, models });
    assert.throws(() => catalogFromJson([]), /expected \{sharedSubstitutes/);
    assert.throws(load([], { x: { model: 'm' } }), /sharedSubstitutes\.x must be \{model, substitute\}/);
    assert.throws(load([{ id: 'a/b' }]), /models\[0\] needs an id and a label/);
    assert.throws(load([{ id: 'a/b', label: 'B', vertex: 'b' }]), /models\[0\] \(a\/b\): unknown key "vertex"/);
    assert.throws(load([{ id: 'a/b', label: 'B', kind: 'image' }]), /kind must be "chat" or "embedding"/);
    assert.throws(load([{ id: 'a/b', label: 'B', ollama: { shared: 'nope' } }]), /ollama must be a name/);
    assert.throws(load([{ id: 'a/b', label: 'B', azure: { model: 'b' } }]), /azure must be a name/);
    assert.throws(load([{ id: 'a/b', label: 'B', openai: '' }]), /openai must be a name/);
  });
});
