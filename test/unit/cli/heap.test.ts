import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HEAP_GROWTH_FLAG, heapGrowthFlag } from '../../../src/cli/heap';

void describe('heapGrowthFlag', () => {
  void it('limits the heap growth factor when the user chose nothing', () => {
    assert.equal(heapGrowthFlag([]), HEAP_GROWTH_FLAG);
    assert.equal(heapGrowthFlag(['--enable-source-maps', '--max-old-space-size=4096']), HEAP_GROWTH_FLAG);
  });

  void it("leaves the user's own choice on node's command line alone (- or _)", () => {
    assert.equal(heapGrowthFlag(['--heap-growing-percent=300']), undefined);
    assert.equal(heapGrowthFlag(['--trace-gc', '--heap_growing_percent=20']), undefined);
  });

  void it('does not mistake a longer flag name for it', () => {
    assert.equal(heapGrowthFlag(['--heap-growing-percentage=5']), HEAP_GROWTH_FLAG);
  });
});
