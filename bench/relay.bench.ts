/**
 * End to end (RELIABILITY.md P1, D3): signed agent MESSAGE webhooks posted to
 * `HandoffMiddleware.webhook()` (verify, dedupe, record, ack), then relayed through a real
 * `CloudAdapter` to a loopback connector. Measures the webhook ack and webhook -> connector
 * latency, uncontended and under load, and the ack while the connector hangs.
 */
import { createAgent, runOpenLoop, runSequential, type LoadResult } from './support/http-load';
import { startLoadMonitor, type LoadStats } from './support/load-monitor';
import { agentMessages, startRelayRig, type RelayRig } from './support/relay-rig';
import { fmt, mainIfEntry, type Row, type Section } from './support/section';
import { nowMs, round, summarize, type Summary } from './support/stats';

/** One phase: ack latency (HTTP), relay latency (POST start -> connector arrival), process figures. */
interface RelayPhase {
  ack: LoadResult;
  relayMs: Summary;
  /** Events acknowledged but not seen at the connector in time. */
  lost: number;
  process: LoadStats;
}

async function collect(rig: RelayRig, seqs: number[], starts: number[], ack: LoadResult, process: LoadStats, waitMs: number): Promise<RelayPhase> {
  await Promise.allSettled(seqs.map((seq) => rig.connector.waitFor(seq, waitMs)));
  const relay: number[] = [];
  seqs.forEach((seq, i) => {
    const arrived = rig.connector.arrivals.get(seq);
    if (arrived !== undefined) relay.push(arrived - starts[i]!);
  });
  return { ack, relayMs: summarize(relay), lost: seqs.length - relay.length, process };
}

/** One event at a time: the next is posted only after the previous reached the connector. */
async function sequential(rig: RelayRig, count: number): Promise<RelayPhase> {
  const { shots, seqs } = await agentMessages(rig, count, 'seq');
  const agent = createAgent(1);
  const starts: number[] = [];
  const monitor = startLoadMonitor();
  const ack = await runSequential(agent, rig.url, shots, { starts, afterEach: (i) => rig.connector.waitFor(seqs[i]!, 5000) });
  const process = monitor.stop();
  agent.destroy();
  return collect(rig, seqs, starts, ack, process, 5000);
}

async function openLoop(rig: RelayRig, rate: number, seconds: number, prefix: string): Promise<RelayPhase> {
  const { shots, seqs } = await agentMessages(rig, rate * seconds, prefix);
  const agent = createAgent(20);
  const starts: number[] = [];
  const monitor = startLoadMonitor();
  const ack = await runOpenLoop(agent, rig.url, shots, rate, { starts });
  const phase = await collect(rig, seqs, starts, ack, monitor.stop(), 10_000);
  agent.destroy();
  return phase;
}

/** D3: the connector holds every request for the whole phase; then it is released and the backlog drains. */
async function hungConnector(rig: RelayRig, rate: number, seconds: number) {
  const { shots, seqs } = await agentMessages(rig, rate * seconds, 'hung');
  const agent = createAgent(20);
  rig.connector.hang = true;
  const monitor = startLoadMonitor();
  const ack = await runOpenLoop(agent, rig.url, shots, rate);
  const process = monitor.stop();
  const heldWhileHung = seqs.filter((seq) => rig.connector.arrivals.has(seq)).length;
  const releasedAt = nowMs();
  rig.connector.release();
  const settled = await Promise.allSettled(seqs.map((seq) => rig.connector.waitFor(seq, 20_000)));
  const drainMs = round(nowMs() - releasedAt, 1);
  agent.destroy();
  const delivered = settled.filter((s) => s.status === 'fulfilled').length;
  return { ack, process, arrivedWhileHung: heldWhileHung, delivered, expected: seqs.length, drainMs };
}

function latencyRow(metric: string, s: Summary, extra: string, target?: { text: string; p99: number }, ok = true): Row {
  return { metric, value: `p50 ${fmt(s.p50, 'ms')}, p99 ${fmt(s.p99, 'ms')}, max ${fmt(s.max, 'ms')}${extra}`, target: target?.text, meets: target ? ok && s.p99 <= target.p99 : undefined };
}

function phaseRows(name: string, phase: RelayPhase, targets: { ack?: { text: string; p99: number }; relay?: { text: string; p99: number } }): Row[] {
  const { ack, process: p } = phase;
  return [
    latencyRow(`${name}: webhook ack`, ack.latencyMs, `; ${ack.sent} sent, ${ack.errors} errors, ${ack.achievedRate}/s`, targets.ack, ack.errors === 0),
    latencyRow(`${name}: webhook -> connector`, phase.relayMs, `; ${phase.lost} lost`, targets.relay, phase.lost === 0),
    { metric: `${name}: event loop and memory`, value: `loop delay p99 ${fmt(p.eventLoopDelayMs.p99, 'ms')} (max ${fmt(p.eventLoopDelayMs.max, 'ms')}); RSS ${p.rssMb.start} -> ${p.rssMb.end} MB (peak ${p.rssMb.peak}); CPU ${p.cpuPercent}% of a core (machine ${p.machineBusyPercent}% busy)` },
  ];
}

/** Runs the end-to-end benchmarks (about 40 s). */
export async function run(): Promise<Section> {
  // Pacing is on, as in production; the conversations are on webchat, which has no per-conversation
  // limit (channel-pacing.ts). With 1,000 connected conversations each gets a few events over the run.
  const rig = await startRelayRig(1_000);
  try {
    await sequential(rig, 100); // warm-up: JIT, sockets, storage keys
    const seq = await sequential(rig, 500);
    const open100 = await openLoop(rig, 100, 5, 'open100');
    const open200 = await openLoop(rig, 200, 5, 'open200');
    const hung = await hungConnector(rig, 50, 10);
    const rows: Row[] = [
      ...phaseRows('Sequential (uncontended)', seq, { ack: { text: 'P1 ack p99 <= 10 ms', p99: 10 }, relay: { text: 'P1 p99 <= 25 ms', p99: 25 } }),
      ...phaseRows('Open loop 100 ev/s, 5 s', open100, {}),
      ...phaseRows('Open loop 200 ev/s, 5 s', open200, { ack: { text: 'P2 ack p99 <= 250 ms', p99: 250 }, relay: { text: 'P2 relay p99 <= 500 ms', p99: 500 } }),
      latencyRow('Connector hung 10 s, 50 ev/s: webhook ack', hung.ack.latencyMs, `; ${hung.ack.sent} sent, ${hung.ack.errors} errors`, { text: 'D3 p99 <= 250 ms, max < 1 s', p99: 250 }, hung.ack.errors === 0 && hung.ack.latencyMs.max < 1000),
      { metric: 'Connector hung: after release', value: `${hung.delivered}/${hung.expected} delivered in ${fmt(hung.drainMs, 'ms')}; ${rig.connector.duplicates} duplicate posts overall` },
    ];
    return {
      id: 'relay',
      title: 'End to end: webhook -> HandoffMiddleware -> CloudAdapter -> connector (loopback)',
      rows,
      figures: { conversations: rig.gatewayConversations.length, sequential: seq, open100, open200, hung, connectorPosts: rig.connector.posts, duplicates: rig.connector.duplicates, onErrorReports: rig.errors.length, onErrorSample: rig.errors.slice(0, 3).map((e) => `${e.where}: ${String(e.error)}`) },
      notes: [
        '20 handoffs in the connected state; events round-robin over them. Storage is botbuilder MemoryStorage; dedupe is the default in-memory store.',
        'webhook -> connector runs from the start of the POST (or its scheduled time, open loop) to the connector reading the activity.',
        'Sequential: the next event is posted only after the previous one reached the connector.',
        `onError reports during the run: ${rig.errors.length}.`,
      ],
    };
  } finally {
    await rig.close();
  }
}

mainIfEntry(module, run);
