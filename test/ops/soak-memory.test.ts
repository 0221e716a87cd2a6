/**
 * The soak's memory figures (scripts/soak-memory.ts, issue 13): the breakdown adds up, and the
 * retained figure the soak judges takes the live heap and Buffers from after the collection and
 * native memory from before it, leaving out V8's heap reserve.
 */
import { memoryBreakdown, memoryTrend, retainedMemory, type MemoryBreakdown, type MemorySample } from '../../scripts/soak-memory';

const reading = (over: Partial<MemoryBreakdown>): MemoryBreakdown => ({ rssMb: 0, heapTotalMb: 0, heapUsedMb: 0, externalMb: 0, arrayBuffersMb: 0, nativeMb: 0, ...over });

describe('soak memory figures', () => {
  it('splits RSS into the V8 heap, Buffers and the native remainder', () => {
    const m = memoryBreakdown();
    expect(m.rssMb).toBeGreaterThan(0);
    expect(m.heapUsedMb).toBeLessThanOrEqual(m.heapTotalMb);
    expect(m.arrayBuffersMb).toBeLessThanOrEqual(m.externalMb);
    // Rounded to 0.1 MB each, so the parts add up to RSS within the rounding.
    expect(Math.abs(m.heapTotalMb + m.externalMb + m.nativeMb - m.rssMb)).toBeLessThanOrEqual(0.2);
  });

  it('counts the live heap and Buffers after the collection and native memory before it', () => {
    // As the soak saw it: right after a collection heapTotal has dropped but RSS not yet, so a
    // native figure read then would count the freed heap pages as native memory.
    const before = reading({ rssMb: 380, heapTotalMb: 262, heapUsedMb: 231, externalMb: 9, nativeMb: 109 });
    const afterGc = reading({ rssMb: 380, heapTotalMb: 240, heapUsedMb: 62, externalMb: 8.5, nativeMb: 131.5 });
    expect(retainedMemory({ memory: before, afterGc })).toEqual({ totalMb: 179.5, liveHeapMb: 62, externalMb: 8.5, nativeMb: 109, v8ReserveMb: 200 });
  });

  it('has no retained figure without a collection', () => {
    expect(retainedMemory({ memory: reading({ rssMb: 300 }) })).toBeUndefined();
  });

  it('reports first, last, largest and change of a figure over the samples that have it', () => {
    const sample = (atS: number, rssMb: number, liveMb?: number): MemorySample => ({
      ...reading({ rssMb }), atS, phase: 'load', spaces: {}, storageKeys: 0, storageJsonMb: 0, dedupeKeys: 0,
      afterGc: liveMb === undefined ? undefined : reading({ heapUsedMb: liveMb }),
    });
    const samples = [sample(15, 300, 61), sample(30, 380), sample(45, 330, 64.5)];
    expect(memoryTrend(samples, (s) => s.rssMb)).toEqual({ first: 300, last: 330, max: 380, change: 30 });
    expect(memoryTrend(samples, (s) => s.afterGc?.heapUsedMb)).toEqual({ first: 61, last: 64.5, max: 64.5, change: 3.5 });
    expect(memoryTrend([], (s) => s.rssMb)).toBeUndefined();
  });
});
