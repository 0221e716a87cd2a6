/**
 * Issue 13, RELIABILITY M1 as separate processes: two bot processes (ops-bot.ts: CloudAdapter,
 * HandoffMiddleware, RedisStorage, RedisDedupeStore) on one redis-server, behind one round-robin
 * balancer for both directions, the emulator as 8x8 and a local Bot Framework connector as the
 * channel. Many conversations talk both ways at once; the balancer delays every request a little
 * and sends a share of the webhooks to both processes; process B's clock runs seconds ahead of A's
 * (more than a relay lease); B is SIGKILLed mid-run and restarted later.
 *
 * Every message arrives once and in order, both ways, in the right conversation; the only repeats
 * allowed are the item in flight at the kill (a send that went out just before the process died,
 * which no one can tell from one that did not). Every handoff, including those whose relay the
 * killed process held, ends normally and hands the user back to the bot.
 *
 * Volume: MULTI_PROCESS_CONVERSATIONS (default 50) conversations with MULTI_PROCESS_MESSAGES
 * (default 20) messages each way: the full volume (2,000 messages).
 */
import { startEmulator, type Emulator } from '../../src/emulator';
import { seeded } from '../middleware/round-robin';
import { startConnectorStub, type ConnectorStub } from '../support/connector-stub';
import { describeWithRedis } from '../support/redis';
import { killBotProcess, RoundRobinBalancer, startBotProcess, type BotProcess } from './process-rig';

const CONVERSATIONS = Number(process.env.MULTI_PROCESS_CONVERSATIONS ?? 50);
const MESSAGES = Number(process.env.MULTI_PROCESS_MESSAGES ?? 20);
const LEASE_MS = 2000;
/** B's clock runs ahead of A's by two leases: compared across instances, every lease would be wrong. */
const SKEW_MS = 4000;
const JOINED = /joined the conversation\.$/;
/** Per-step patience: every conversation escalates at once, so a step waits behind all the others. */
const STEP_MS = 30_000 + CONVERSATIONS * 2_000;
const LEFT = 'The agent left the conversation. You are chatting with the bot again.';

async function eventually(check: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeWithRedis(`Two bot processes on one Redis behind a round-robin balancer (${CONVERSATIONS} conversations × ${MESSAGES} messages each way, SIGKILL and restart)`, (redis) => {
  const random = seeded(13);
  const balancer = new RoundRobinBalancer({ random, maxDelayMs: 15, duplicateShare: 0.1 });
  let connector: ConnectorStub;
  let emulator: Emulator;
  let a: BotProcess;
  let b: BotProcess | undefined;
  let env: Record<string, string>;

  beforeAll(async () => {
    // Sends take a while, so one process's relay overlaps the other's events (where a lease judged on the wrong clock would show).
    connector = await startConnectorStub({ delayMs: () => Math.floor(random() * 40) });
    const url = await balancer.listen();
    // 8x8 retries a failed delivery 9 times (about 50 s in all): enough to outlast the restart.
    emulator = await startEmulator({ port: 0, webhookUrl: `${url}/api/8x8/webhook`, delivery: { baseDelayMs: 100, retries: 9, timeoutMs: 5000 } });
    env = { REDIS_PORT: String(redis.port), EMULATOR_URL: emulator.url, CHANNEL_ID: emulator.channelId, RELAY_LEASE_MS: String(LEASE_MS) };
    const started = await Promise.allSettled([startBotProcess('A', env), startBotProcess('B', { ...env, CLOCK_SKEW_MS: String(SKEW_MS) })]);
    const failed = started.find((s) => s.status === 'rejected');
    if (failed) {
      // Stop whichever did start, so nothing outlives the suite.
      for (const s of started) if (s.status === 'fulfilled') await killBotProcess(s.value);
      throw failed.reason;
    }
    [a, b] = started.map((s) => (s as PromiseFulfilledResult<BotProcess>).value) as [BotProcess, BotProcess];
    balancer.setTargets([a, b]);
  }, 330_000);
  afterAll(async () => {
    await killBotProcess(a, 'SIGTERM');
    await killBotProcess(b, 'SIGTERM');
    await emulator?.close();
    await connector?.close();
    await balancer.close();
  });

  /** Texts whose POST failed at least once (in flight at the kill): the channel sent them again. */
  const resent = new Set<string>();

  /** The user of conversation `c` says `text` through the balancer, retried like a channel would on a failure. */
  async function userSays(c: number, text: string): Promise<void> {
    const activity = {
      type: 'message', id: `act-${c}-${text}`, text, channelId: 'webchat', serviceUrl: connector.url, locale: 'en-US',
      from: { id: `ops-user-${c}`, name: `User ${c}` }, recipient: { id: 'bot', name: 'Bot' }, conversation: { id: `ops-${c}` },
    };
    for (let attempt = 1; attempt <= 100; attempt++) {
      const status = await fetch(`${balancer.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) }).then(
        (res) => res.status,
        () => 0,
      );
      if (status === 200) return;
      resent.add(text);
      await pause(100);
    }
    throw new Error(`the bot never took "${text}"`);
  }

  const toUser = (c: number) => connector.posts.filter((p) => p.conversationId === `ops-${c}`).map((p) => p.activity.text ?? '');
  const agentTexts = (c: number) => toUser(c).filter((t) => /^a\d+-\d+$/.test(t));

  it('should deliver every message once and in order both ways, finish every handoff, and lose nothing to a SIGKILL', async () => {
    const started = Date.now();
    const ids = Array.from({ length: CONVERSATIONS }, (_, c) => c);
    const agent = emulator.agent('agent-1');
    const gatewayIds: string[] = [];
    let killedAt = -1;
    let killed: BotProcess | undefined;

    const converse = async (c: number): Promise<void> => {
      await userSays(c, 'agent');
      const conversation = await emulator.waitForConversation((x) => x.user.userId === `ops-user-${c}`, { timeoutMs: STEP_MS });
      gatewayIds[c] = conversation.id;
      await eventually(() => emulator.conversation(conversation.id)?.status === 'queued', `conversation ${c} queued`, STEP_MS);
      await agent.accept(conversation.id);
      await eventually(() => toUser(c).some((t) => JOINED.test(t)), `the agent joined conversation ${c}`, STEP_MS);
      await Promise.all([
        (async () => {
          for (let k = 1; k <= MESSAGES; k++) {
            await userSays(c, `u${c}-${k}`);
            await pause(Math.floor(random() * 60));
          }
        })(),
        (async () => {
          for (let k = 1; k <= MESSAGES; k++) {
            await agent.say(`a${c}-${k}`, { conversationId: conversation.id });
            await pause(Math.floor(random() * 60));
          }
        })(),
      ]);
    };

    const total = CONVERSATIONS * MESSAGES;
    const delivered = () => ids.reduce((n, c) => n + new Set(agentTexts(c)).size, 0);
    const run = Promise.all(ids.map(converse));
    // The chaos: kill B once 40% of the agent messages reached users, bring it back 3 s later.
    const chaos = (async () => {
      await eventually(() => delivered() >= total * 0.4, '40% of agent messages delivered', 120_000);
      killedAt = delivered();
      balancer.setTargets([a]);
      killed = b;
      await killBotProcess(b);
      await pause(3000);
      b = await startBotProcess('B2', { ...env, CLOCK_SKEW_MS: String(SKEW_MS) });
      balancer.setTargets([a, b]);
    })();
    await Promise.all([run, chaos]);

    // Everything said reaches the other side.
    const userTexts = (c: number) => (emulator.conversation(gatewayIds[c]!)?.messages ?? []).filter((m) => m.authorType === 'user' && !m.fromHistory).map((m) => m.text);
    await eventually(() => ids.every((c) => new Set(agentTexts(c)).size === MESSAGES), 'every agent message delivered', STEP_MS + 60_000).catch((error: Error) => {
      // Say which ones, so a loss can be told from slowness.
      const missing = ids.flatMap((c) => Array.from({ length: MESSAGES }, (_, k) => `a${c}-${k + 1}`).filter((t) => !agentTexts(c).includes(t)));
      const reports = [a.stderr(), killed?.stderr() ?? '', b?.stderr() ?? ''].join('').split('\n').filter(Boolean).slice(-30).join('\n');
      throw new Error(`${error.message}; ${missing.length} missing: ${missing.slice(0, 40).join(', ')}\nwhat the bots reported (last 30 lines):\n${reports}`);
    });
    await eventually(() => ids.every((c) => new Set(userTexts(c).filter((t) => /^u\d+-\d+$/.test(t))).size === MESSAGES), 'every user message at 8x8', 30_000);

    // Then each agent ends its handoff, and the user is back with the bot.
    for (const c of ids) await agent.leave(gatewayIds[c]!);
    await eventually(() => ids.every((c) => toUser(c).includes(LEFT)), 'every handoff ended', 60_000);
    for (const c of ids) await userSays(c, `after-${c}`);
    await eventually(() => ids.every((c) => toUser(c).includes(`echo: after-${c}`)), 'the bot answering again', 30_000);

    let agentRepeats = 0;
    let userRepeats = 0;
    for (const c of ids) {
      const toAgent = userTexts(c).filter((t) => /^u\d+-\d+$/.test(t));
      const fromAgent = agentTexts(c);
      const expectIn = (prefix: string) => Array.from({ length: MESSAGES }, (_, k) => `${prefix}${c}-${k + 1}`);
      // In order and complete, each distinct message once.
      expect(fromAgent.filter((t, n) => fromAgent.indexOf(t) === n)).toEqual(expectIn('a'));
      expect(toAgent.filter((t, n) => toAgent.indexOf(t) === n)).toEqual(expectIn('u'));
      // A repeat only right after the original: the one send in flight at the kill.
      const repeatsOf = (list: string[]) => list.filter((t, n) => n > 0 && list.indexOf(t) !== n);
      for (const [n, t] of fromAgent.entries()) if (n > 0 && fromAgent.indexOf(t) !== n) expect(fromAgent[n - 1]).toBe(t);
      expect(repeatsOf(fromAgent).length).toBeLessThanOrEqual(1);
      for (const t of repeatsOf(toAgent)) expect(resent.has(t)).toBe(true);
      agentRepeats += repeatsOf(fromAgent).length;
      userRepeats += repeatsOf(toAgent).length;
      // One join and one end notice each, no echo while the agent had the user, nothing of anyone else's.
      expect(toUser(c).filter((t) => JOINED.test(t))).toHaveLength(1);
      expect(toUser(c).filter((t) => t === LEFT)).toHaveLength(1);
      expect(toUser(c).filter((t) => /^echo: u/.test(t))).toEqual([]);
    }
    const misrouted = connector.posts.filter((p) => {
      const owner = /^a(\d+)-\d+$/.exec(p.activity.text ?? '')?.[1];
      return owner !== undefined && p.conversationId !== `ops-${owner}`;
    });
    expect(misrouted).toEqual([]);
    for (const conversation of emulator.snapshot().conversations) {
      const owner = /^ops-user-(\d+)$/.exec(conversation.user.userId ?? "")?.[1];
      expect(conversation.messages.filter((m) => m.authorType === 'user' && /^u\d+-\d+$/.test(m.text) && !m.text.startsWith(`u${owner}-`))).toEqual([]);
    }
    // The run was what it claims: B was killed mid-run, every process took traffic, duplicates were sent.
    expect(killedAt).toBeGreaterThan(0);
    expect(killedAt).toBeLessThan(total);
    expect(balancer.stats.routed.A).toBeGreaterThan(0);
    expect(balancer.stats.routed.B).toBeGreaterThan(0);
    expect(balancer.stats.routed.B2).toBeGreaterThan(0);
    expect(balancer.stats.duplicated).toBeGreaterThan(0);
    console.log(
      `[multi-process] ${CONVERSATIONS} conversations, ${total} agent + ${total} user messages in ${((Date.now() - started) / 1000).toFixed(1)} s; ` +
        `killed B at ${killedAt}/${total} delivered; repeats: ${agentRepeats} to users, ${userRepeats} to agents (${resent.size} user messages resent); ` +
        `duplicate webhooks sent ${balancer.stats.duplicated}; routed ${JSON.stringify(balancer.stats.routed)}; failed forwards ${balancer.stats.failed}`,
    );
  }, 600_000);
});

