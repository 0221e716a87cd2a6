/**
 * The bot process `npm run soak` puts under load (scripts/soak.ts starts it): a real CloudAdapter
 * (no app id, 127.0.0.1 only) with the HandoffMiddleware on a MemoryStorage (one instance), 8x8's
 * webhook at /api/8x8/webhook and the channel at /api/messages. It measures itself, so the
 * figures are the bot's and not the load generator's: webhook ack time (request in to response
 * finished), event-loop delay, RSS, active handles and unhandled rejections, served as JSON on
 * GET /soak-stats (`?reset=1` starts a new window for the latency figures); and where its memory
 * is (scripts/soak-memory.ts) on GET /soak-memory (`?gc=1` adds the figures after a full
 * collection when the process runs with `--expose-gc`).
 *
 * Environment: EMULATOR_URL, CHANNEL_ID; SOAK_DEDUPE_MAX_ENTRIES (the webhook dedupe store's
 * bound, default the store's own 100 000) to see how much of the live heap the store takes.
 */
import { createHistogram, monitorEventLoopDelay } from 'node:perf_hooks';
import { MemoryStorage } from 'botbuilder';
import { MemoryDedupeStore } from '../src/webhook';
import { echoBotProcess, runBotProcess } from '../test/support/echo-bot-process';
import { heapSpaces, memoryBreakdown, type MemoryReading } from './soak-memory';

let unhandledRejections = 0;
process.on('unhandledRejection', () => void unhandledRejections++);
const errors: Record<string, number> = {};

runBotProcess('soak-bot', async () => {
  // A histogram (fixed size, outside the heap), not a list of every ack: the bot's memory is measured,
  // and a list grows by some 140 000 numbers (1-2 MB of live heap) over a 10-minute run.
  const acks = createHistogram();
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  // Held here too, so /soak-memory can count what the Storage keeps (deleted keys stay, as undefined).
  const memory: Record<string, string> = {};
  // The receiver's default store, made here so /soak-memory can say how many event ids it holds.
  const maxEntries = process.env.SOAK_DEDUPE_MAX_ENTRIES ? Number(process.env.SOAK_DEDUPE_MAX_ENTRIES) : undefined;
  const dedupe = new MemoryDedupeStore({ maxEntries });
  const { app } = echoBotProcess('soak-bot', {
    storage: new MemoryStorage(memory),
    webhook: { dedupe },
    onError: (_error, info) => void (errors[info.where] = (errors[info.where] ?? 0) + 1),
  }, (req, res, next) => {
    const start = process.hrtime.bigint();
    res.on('finish', () => acks.record(process.hrtime.bigint() - start));
    next();
  });
  app.get('/soak-stats', (req, res) => {
    const p = (q: number) => (acks.count ? acks.percentile(q) / 1e6 : null);
    const resources = process.getActiveResourcesInfo();
    res.json({
      acks: acks.count, ackP50Ms: p(50), ackP99Ms: p(99), ackMaxMs: acks.count ? acks.max / 1e6 : null,
      eventLoopDelayP99Ms: loop.percentile(99) / 1e6, eventLoopDelayMaxMs: loop.max / 1e6,
      rssMb: process.memoryUsage.rss() / 1024 / 1024, heapUsedMb: process.memoryUsage().heapUsed / 1024 / 1024, memory: memoryBreakdown(),
      activeHandles: resources.length, handleTypes: resources.reduce<Record<string, number>>((m, t) => ({ ...m, [t]: (m[t] ?? 0) + 1 }), {}),
      unhandledRejections, errors,
    });
    if (req.query.reset) {
      acks.reset();
      loop.reset();
    }
  });
  app.get('/soak-memory', (req, res) => {
    const before = memoryBreakdown();
    const spaces = heapSpaces();
    let afterGc;
    if (req.query.gc && typeof global.gc === 'function') {
      global.gc();
      afterGc = memoryBreakdown();
    }
    let keys = 0;
    let liveKeys = 0;
    let chars = 0;
    for (const key in memory) {
      keys++;
      const value = memory[key] as string | undefined;
      if (value !== undefined) {
        liveKeys++;
        chars += value.length;
      }
    }
    const reading: MemoryReading = { memory: before, afterGc, spaces, storage: { keys, liveKeys, jsonMb: Math.round((chars / 1024 / 1024) * 10) / 10 }, dedupeKeys: dedupe.size };
    res.json(reading);
  });
  return app;
});
