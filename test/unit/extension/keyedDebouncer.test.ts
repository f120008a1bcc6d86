// The per-key debouncer behind the prompt workspace's validation and the Test Explorer's re-parse.
import assert from 'node:assert/strict';
import { mock, test } from 'node:test';
import { KeyedDebouncer } from '../../../src/extension/keyedDebouncer';

void test('a burst on one key runs its latest callback once, after the delay since the last call', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const debouncer = new KeyedDebouncer();
  const ran: string[] = [];
  debouncer.schedule('a', 100, () => ran.push('first'));
  t.mock.timers.tick(60);
  debouncer.schedule('a', 100, () => ran.push('second'));
  t.mock.timers.tick(60);
  assert.deepEqual(ran, [], 'the second call restarted the wait');
  t.mock.timers.tick(40);
  assert.deepEqual(ran, ['second']);
  t.mock.timers.tick(1000);
  assert.deepEqual(ran, ['second'], 'runs once');
});

void test('keys wait independently', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const debouncer = new KeyedDebouncer();
  const ran: string[] = [];
  debouncer.schedule('a', 100, () => ran.push('a'));
  t.mock.timers.tick(50);
  debouncer.schedule('b', 100, () => ran.push('b'));
  t.mock.timers.tick(50);
  assert.deepEqual(ran, ['a'], "b's call did not restart a's wait");
  t.mock.timers.tick(50);
  assert.deepEqual(ran, ['a', 'b']);
});

void test('cancel drops one key; a key can be scheduled again after it ran or was cancelled', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const debouncer = new KeyedDebouncer();
  const ran: string[] = [];
  debouncer.schedule('a', 10, () => ran.push('a'));
  debouncer.schedule('b', 10, () => ran.push('b'));
  debouncer.cancel('a');
  debouncer.cancel('nothing waits here');
  t.mock.timers.tick(10);
  assert.deepEqual(ran, ['b']);
  debouncer.schedule('a', 10, () => ran.push('a again'));
  debouncer.schedule('b', 10, () => ran.push('b again'));
  t.mock.timers.tick(10);
  assert.deepEqual(ran, ['b', 'a again', 'b again']);
});

void test('dispose drops every wait: nothing runs afterwards', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const debouncer = new KeyedDebouncer();
  const run = mock.fn();
  debouncer.schedule('a', 10, run);
  debouncer.schedule('b', 20, run);
  debouncer.dispose();
  t.mock.timers.tick(100);
  assert.equal(run.mock.callCount(), 0);
});
