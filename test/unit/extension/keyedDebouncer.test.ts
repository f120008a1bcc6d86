// The per-key debouncer behind the prompt workspace's validation and the Test Explorer's re-parse.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { KeyedDebouncer } from '../../../src/extension/keyedDebouncer';

/** A debouncer on mocked timers, and `ran`: the names of the callbacks that ran, in order. */
function debouncerOnMockTimers(t: TestContext) {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const ran: string[] = [];
  const debouncer = new KeyedDebouncer();
  const schedule = (key: string, delayMs: number, name: string): void =>
    debouncer.schedule(key, delayMs, () => ran.push(name));
  return { debouncer, schedule, ran, tick: (ms: number) => t.mock.timers.tick(ms) };
}

void test('a burst on one key runs its latest callback once, after the delay since the last call', (t) => {
  const { schedule, ran, tick } = debouncerOnMockTimers(t);
  schedule('a', 100, 'first');
  tick(60);
  schedule('a', 100, 'second');
  tick(60);
  assert.deepEqual(ran, [], 'the second call restarted the wait');
  tick(40);
  assert.deepEqual(ran, ['second']);
  tick(1000);
  assert.deepEqual(ran, ['second'], 'runs once');
});

void test('keys wait independently', (t) => {
  const { schedule, ran, tick } = debouncerOnMockTimers(t);
  schedule('a', 100, 'a');
  tick(50);
  schedule('b', 100, 'b');
  tick(50);
  assert.deepEqual(ran, ['a'], "b's call did not restart a's wait");
  tick(50);
  assert.deepEqual(ran, ['a', 'b']);
});

void test('cancel drops one key; a key can be scheduled again after it ran or was cancelled', (t) => {
  const { debouncer, schedule, ran, tick } = debouncerOnMockTimers(t);
  schedule('a', 10, 'a');
  schedule('b', 10, 'b');
  debouncer.cancel('a');
  debouncer.cancel('nothing waits here');
  tick(10);
  assert.deepEqual(ran, ['b']);
  schedule('a', 10, 'a again');
  schedule('b', 10, 'b again');
  tick(10);
  assert.deepEqual(ran, ['b', 'a again', 'b again']);
});

void test('dispose drops every wait: nothing runs afterwards', (t) => {
  const { debouncer, schedule, ran, tick } = debouncerOnMockTimers(t);
  schedule('a', 10, 'a');
  schedule('b', 20, 'b');
  debouncer.dispose();
  tick(100);
  assert.deepEqual(ran, []);
});
