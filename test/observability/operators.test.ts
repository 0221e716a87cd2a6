/**
 * What operators watch, end to end over real HTTP (emulator, webhook, ChatGatewayClient,
 * TestAdapter): the Prometheus metrics a handoff moves, the correlation ids on its log lines, and
 * that no message text, api key, token or signature reaches the logs at info (RELIABILITY S8).
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { ChatGatewayClient } from '../../src/gateway';
import { REDACTED_PATHS, type Logger } from '../../src/logger';
import { createHandoffMetrics, telemetryObserver, combineObservers } from '../../src/observability';
import { DEFAULT_MESSAGES } from '../../src/handoff';
import { triggers } from '../../src/triggers';
import { eventually, startHarness, testUser, gatewayConversationOf, type Harness } from '../middleware/harness';

/** A pino logger at info whose lines are kept, parsed, for the assertions. */
function capturedLogger(): { logger: Logger; lines: Array<Record<string, unknown>>; raw: string[] } {
  const raw: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      raw.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const logger = pino({ level: 'info', redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, stream);
  return { logger, raw, get lines() { return raw.map((l) => JSON.parse(l) as Record<string, unknown>); } };
}

const API_KEY = 'emulator-api-key';
const USER_TEXT = 'my card number is 4111-1111';
const AGENT_TEXT = 'I can see your order now';

let h: Harness;
afterEach(async () => h?.close());

function metricValue(text: string, name: string, labels = ''): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels ? `{${labels}}` : ''} `));
  return line ? Number(line.split(' ').pop()) : NaN;
}

it('should count a whole handoff in the metrics, log it with correlation ids and never log message text, keys or signatures', async () => {
  h = await startHarness({ middleware: { triggers: [triggers.keywords(['agent'])] } });
  const log = capturedLogger();
  const events: Array<{ name: string; properties?: Record<string, string>; metrics?: Record<string, number> }> = [];
  const gateway = new ChatGatewayClient({ apiKey: API_KEY, baseUrl: h.emulator.url, logger: log.logger, timeoutMs: 2000, deadlineMs: 4000 });
  const metrics = createHandoffMetrics({ gateway, processMetrics: false });
  // The gateway client reports failed calls to the same metrics.
  const client = new ChatGatewayClient({ apiKey: API_KEY, baseUrl: h.emulator.url, logger: log.logger, timeoutMs: 2000, deadlineMs: 4000, observer: metrics.observer });
  const instance = h.newInstance({
    gateway: client, logger: log.logger, webhook: { baseUrl: h.emulator.url, logger: log.logger },
    observer: combineObservers(metrics.observer, telemetryObserver({ trackEvent: (e) => void events.push(e) })),
    onError: () => undefined,
  });
  h.routeWebhooksTo(instance.handoff);

  const user = testUser(instance.adapter, 'ops-1');
  await user.say('agent');
  const conversation = await gatewayConversationOf(h, 'ops-1');
  await eventually(() => h.emulator.conversation(conversation.id)?.status === 'queued', 'queued');
  await eventually(async () => metricValue(await metrics.registry.metrics(), 'handoff_webhook_responses_total', 'status="200"') >= 1, 'a webhook counted');
  await h.emulator.agent('agent-1').accept(conversation.id);
  await user.waitForText(DEFAULT_MESSAGES.agentJoined);
  await h.emulator.agent('agent-1').say(AGENT_TEXT, { conversationId: conversation.id });
  await user.waitForText(AGENT_TEXT);
  await user.say(USER_TEXT);
  await h.emulator.agent('agent-1').waitForMessage(conversation.id, (m) => m.text === USER_TEXT);
  // One refused send: counted by status, and the user is told it did not arrive.
  h.emulator.faults = { apiErrors: [{ method: 'POST', path: /\/messages$/, status: 400, times: 1 }] };
  await user.say('this one is refused');
  await user.waitForText(DEFAULT_MESSAGES.notDelivered);
  h.emulator.faults = {};
  await h.emulator.agent('agent-1').leave(conversation.id);
  await user.waitFor((a) => a.type === 'message' && /chatting with the bot again/.test(a.text ?? ''), 'back to the bot');
  await instance.handoff.whenIdle();

  const text = await metrics.registry.metrics();
  expect(metricValue(text, 'handoff_started_total', 'trigger="keyword"')).toBe(1);
  expect(metricValue(text, 'handoff_completed_total', 'reason="agent_left"')).toBe(1);
  expect(text).not.toMatch(/^handoff_failed_total\{/m);
  expect(metricValue(text, 'handoff_time_to_agent_seconds_count')).toBe(1);
  expect(metricValue(text, 'handoff_queue_wait_seconds_count')).toBe(1);
  expect(metricValue(text, 'handoff_relay_latency_seconds_count')).toBeGreaterThanOrEqual(3);
  expect(metricValue(text, 'handoff_webhook_responses_total', 'status="200"')).toBeGreaterThanOrEqual(3);
  expect(metricValue(text, 'handoff_gateway_errors_total', 'method="POST",status="400"')).toBe(1);
  expect(metricValue(text, 'handoff_gateway_breaker_state', 'state="closed"')).toBe(1);
  expect(metricValue(text, 'handoff_gateway_breaker_state', 'state="open"')).toBe(0);
  expect(metricValue(text, 'handoff_outbox_depth')).toBe(0);

  // BotTelemetryClient events, with the ids and no text.
  expect(events.map((e) => e.name)).toEqual(expect.arrayContaining(['HandoffStarted', 'HandoffQueued', 'HandoffAgentJoined', 'HandoffCompleted']));
  const started = events.find((e) => e.name === 'HandoffStarted')!;
  expect(started.properties).toMatchObject({ botConversation: expect.stringContaining('ops-1'), handoffId: expect.any(String) });
  expect(events.find((e) => e.name === 'HandoffAgentJoined')!.metrics).toMatchObject({ timeToAgentMs: expect.any(Number) });

  // Every lifecycle line carries the three correlation ids.
  const lifecycle = log.lines.filter((l) => typeof l.msg === 'string' && /^handoff (started|queued|completed|failed)|agent joined/.test(l.msg as string));
  expect(lifecycle.map((l) => l.msg)).toEqual(['handoff started', 'handoff queued at 8x8', 'handoff: agent joined', 'handoff completed']);
  const handoffId = lifecycle[0]!.handoffId;
  for (const line of lifecycle) {
    expect(line).toMatchObject({ botConversation: expect.stringContaining('ops-1'), handoffId });
  }
  for (const line of lifecycle.slice(1)) expect(line.gatewayConversation).toBe(conversation.id);

  // S8: nothing secret or private at info, in any line of the run.
  const all = log.raw.join('\n');
  expect(log.raw.length).toBeGreaterThanOrEqual(4);
  for (const forbidden of [USER_TEXT, AGENT_TEXT, 'this one is refused', API_KEY, 'x-8x8-signature', 'Bearer ']) {
    expect(all).not.toContain(forbidden);
  }
});

it('should count a failed create by reason and return to the bot', async () => {
  h = await startHarness({ middleware: { triggers: [triggers.keywords(['agent'])] }, emulator: { faults: { apiErrors: [{ method: 'POST', path: /\/conversations$/, status: 400, times: 1 }] } } });
  const metrics = createHandoffMetrics({ gateway: h.gateway, processMetrics: false });
  const instance = h.newInstance({ observer: metrics.observer, onError: () => undefined });
  const user = testUser(instance.adapter, 'ops-2');
  await user.say('agent');
  await user.waitFor((a) => a.type === 'message' && a.text === DEFAULT_MESSAGES.failed, 'the failed notice');
  await instance.handoff.whenIdle();
  const text = await metrics.registry.metrics();
  expect(metricValue(text, 'handoff_started_total', 'trigger="keyword"')).toBe(1);
  expect(metricValue(text, 'handoff_failed_total', 'reason="create_failed"')).toBe(1);
  expect(metricValue(text, 'handoff_time_to_agent_seconds_count')).toBe(0);
});
