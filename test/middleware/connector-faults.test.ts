/**
 * RELIABILITY O7 and O8 over real HTTP: a real CloudAdapter (botbuilder's own connector client and
 * retry policies) sends agent messages to a connector stub that answers with scripted faults.
 * - A 429 with Retry-After is retried by botbuilder itself (4 POSTs); we add no timer on top: the
 *   item waits for the next event, so one send never becomes 4 x N POSTs.
 * - A 429 without Retry-After, which botbuilder does not retry, is retried by us (by the next
 *   event, or our own timer when none comes): every message arrives, in order, with one extra
 *   POST per throttled one.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { startCloudRig, type CloudRig } from './cloud-rig';
import { eventually } from './harness';

/** A connector endpoint that answers the next POSTs from `script` (then 200), and records every POST. */
async function startFaultyConnector() {
  const posts: Array<{ text?: string; status: number }> = [];
  const script: Array<{ status: number; headers?: Record<string, string> }> = [];
  const app = express();
  app.use(express.json());
  app.post('/v3/conversations/:conversationId/activities{/:replyToId}', (req, res) => {
    const next = script.shift() ?? { status: 200 };
    posts.push({ text: (req.body as { text?: string }).text, status: next.status });
    res.set(next.headers ?? {}).status(next.status).json(next.status === 200 ? { id: `a-${posts.length}` } : { error: { code: 'Throttled', message: 'slow down' } });
  });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    posts,
    script,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('HandoffMiddleware through a CloudAdapter when the connector throttles', () => {
  let connector: Awaited<ReturnType<typeof startFaultyConnector>>;
  let rig: CloudRig;
  let emulator: CloudRig['emulator'];
  let handoff: CloudRig['handoff'];
  let errors: CloudRig['errors'];

  beforeAll(async () => {
    connector = await startFaultyConnector();
    // Pacing has its own tests; here it would only stretch the run.
    rig = await startCloudRig(() => connector.url, { pacing: false });
    ({ emulator, handoff, errors } = rig);
  });
  afterAll(async () => {
    await rig.close();
    await connector.close();
  });

  /** Escalates conversation `id` and has an agent accept it; returns the 8x8 conversation id. */
  async function connected(id: string): Promise<string> {
    expect(await rig.userSays(id, `user-${id}`, 'agent', `act-${id}`)).toBe(200);
    const conversation = await emulator.waitForConversation((c) => c.user.userId === `user-${id}`);
    await eventually(() => emulator.conversation(conversation.id)?.status === 'queued', 'queued');
    await emulator.agent('agent-1').accept(conversation.id);
    await eventually(() => connector.posts.some((p) => p.text === 'An agent joined the conversation.' && p.status === 200), 'the joined notice');
    await handoff.whenIdle();
    return conversation.id;
  }
  const postsOf = (text: string) => connector.posts.filter((p) => p.text === text);

  it('should leave a 429 botbuilder retried to the next event: 4 POSTs for one send, not 4 x N (O8)', async () => {
    const gatewayId = await connected('o8');
    connector.script.push(...Array.from({ length: 4 }, () => ({ status: 429, headers: { 'Retry-After': '0' } })));
    await emulator.agent('agent-1').say('first', { conversationId: gatewayId });
    await eventually(() => errors.some((e) => e.where === 'relay'), 'the failed send reported');
    expect(postsOf('first').map((p) => p.status)).toEqual([429, 429, 429, 429]);
    // Longer than any retry pause of ours would be for a first try: nothing more goes out by itself.
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(postsOf('first')).toHaveLength(4);
    await emulator.agent('agent-1').say('second', { conversationId: gatewayId });
    await eventually(() => postsOf('second').length === 1, 'the next event drained the outbox');
    expect(postsOf('first').map((p) => p.status)).toEqual([429, 429, 429, 429, 200]);
    const delivered = connector.posts.filter((p) => p.status === 200).map((p) => p.text);
    expect(delivered.slice(-2)).toEqual(['first', 'second']);
  });

  it('should retry 429s without Retry-After itself and deliver every message in order (O7)', async () => {
    const gatewayId = await connected('o7');
    const expected = Array.from({ length: 20 }, (_, i) => `o7-${i + 1}`);
    // Every 10th POST is throttled without Retry-After (botbuilder does not retry those).
    connector.script.push(...Array.from({ length: 30 }, (_, i) => (i % 10 === 4 ? { status: 429 } : { status: 200 })));
    for (const text of expected) await emulator.agent('agent-1').say(text, { conversationId: gatewayId });
    await eventually(() => postsOf('o7-20').some((p) => p.status === 200), 'the last message', 15_000);
    const delivered = connector.posts.filter((p) => p.status === 200 && p.text?.startsWith('o7-')).map((p) => p.text);
    expect(delivered).toEqual(expected);
    const throttled = connector.posts.filter((p) => p.status === 429 && p.text?.startsWith('o7-'));
    expect(throttled.length).toBeGreaterThanOrEqual(2);
    // One POST per throttle: botbuilder did not retry them, we retried each once.
    expect(connector.posts.filter((p) => p.text?.startsWith('o7-'))).toHaveLength(expected.length + throttled.length);
    // A throttled last message has no next event to carry it: our own timer (full jitter, at most 1 s) does.
    connector.script.splice(0, connector.script.length, { status: 429 });
    await emulator.agent('agent-1').say('o7-last', { conversationId: gatewayId });
    await eventually(() => postsOf('o7-last').some((p) => p.status === 200), 'the retried last message', 3_000);
    expect(postsOf('o7-last').map((p) => p.status)).toEqual([429, 200]);
  });
});
