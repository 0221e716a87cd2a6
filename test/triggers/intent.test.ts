import type { RecognizerResult, TurnContext } from 'botbuilder';
import { triggers, RECOGNIZER_RESULT_KEY, markFallback } from '../../src/triggers';
import { contextFor, harness } from './harness';

const result = (intents: Record<string, number>, text = 'x'): RecognizerResult => ({
  text,
  intents: Object.fromEntries(Object.entries(intents).map(([k, score]) => [k, { score }])),
  entities: {},
});

/** A bot that recognizes with a fixed table and leaves the result under `key`. */
const recognizingBot = (table: Record<string, Record<string, number>>, key: string | symbol = RECOGNIZER_RESULT_KEY) =>
  async (context: TurnContext) => {
    const r = result(table[context.activity.text ?? ''] ?? { None: 1 }, context.activity.text);
    context.turnState.set(key, r);
    if (r.intents.None) markFallback(context);
    await context.sendActivity(`bot: ${context.activity.text}`);
  };

describe('triggers.intent()', () => {
  describe('#afterTurn()', () => {
    it('should escalate after the bot ran when the turn state holds the intent above the threshold', async () => {
      const bot = recognizingBot({ 'talk to someone': { Escalate: 0.91 }, maybe: { Escalate: 0.5 } });
      const { adapter, fired } = harness(triggers.intent('Escalate'), bot);
      await adapter
        .send('maybe').assertReply('bot: maybe')
        .send('talk to someone').assertReply('bot: talk to someone').assertReply('ESCALATE intent: intent Escalate (0.91)')
        .startTest();
      expect(fired[0]!.intent).toEqual({ name: 'Escalate', score: 0.91 });
    });

    it.each([
      [0.7, 0.7, true],
      [0.69999, 0.7, false],
      [1, 1, true],
      [0, 0, true],
      [Number.NaN, 0, false],
    ])('should treat score %p against minScore %p as fired=%p', async (score, minScore, fires) => {
      const trigger = triggers.intent('Escalate', { minScore });
      const ctx = contextFor({ text: 'x' });
      ctx.turnState.set(RECOGNIZER_RESULT_KEY, result({ Escalate: score }));
      expect(Boolean(await trigger.afterTurn!(ctx, { consecutiveFallbacks: 0 }))).toBe(fires);
    });

    it('should pick the best of several wanted intents, ignoring case of the name', async () => {
      const trigger = triggers.intent(['escalate', 'Agent'], { queueId: 'q' });
      const ctx = contextFor({ text: 'x' });
      ctx.turnState.set(RECOGNIZER_RESULT_KEY, result({ Escalate: 0.8, Agent: 0.95, Weather: 0.99 }));
      expect(await trigger.afterTurn!(ctx, { consecutiveFallbacks: 0 })).toMatchObject({ intent: { name: 'Agent', score: 0.95 }, queueId: 'q' });
    });

    it('should find a result under a custom key or any key when the recognizer cached it elsewhere', async () => {
      const custom = contextFor({ text: 'x' });
      custom.turnState.set('myKey', result({ Escalate: 0.9 }));
      expect(await triggers.intent('Escalate', { turnStateKey: 'myKey' }).afterTurn!(custom, { consecutiveFallbacks: 0 })).toBeDefined();
      const luis = contextFor({ text: 'x' });
      luis.turnState.set('https://luis.example/v3/app', result({ Escalate: 0.9 }));
      expect(await triggers.intent('Escalate').afterTurn!(luis, { consecutiveFallbacks: 0 })).toBeDefined();
    });

    it('should not fire when there is no recognizer result', async () => {
      expect(await triggers.intent('Escalate').afterTurn!(contextFor({ text: 'x' }), { consecutiveFallbacks: 0 })).toBeUndefined();
    });
  });

  describe('#beforeTurn()', () => {
    it('should run the given recognizer before the bot and leave its result for the bot when a recognizer is passed', async () => {
      const recognizer = { recognize: async (c: TurnContext) => result(c.activity.text === 'agent pls' ? { Escalate: 0.8 } : { None: 0.9 }) };
      const seen: unknown[] = [];
      const { adapter } = harness(triggers.intent('Escalate', { recognizer }), async (c) => {
        seen.push(c.turnState.get(RECOGNIZER_RESULT_KEY));
        await c.sendActivity('bot');
      });
      await adapter.send('hi').assertReply('bot').send('agent pls').assertReply('ESCALATE intent: intent Escalate (0.80)').startTest();
      expect(seen).toEqual([result({ None: 0.9 })]);
    });
  });

  it('should reject a threshold outside 0..1 and an empty name list when constructed', () => {
    expect(() => triggers.intent('Escalate', { minScore: 1.5 })).toThrow(/intent\.minScore.*0 to 1/);
    expect(() => triggers.intent([])).toThrow(/intent\.names/);
    expect(() => triggers.intent('x', { recognizer: {} as never })).toThrow(/intent\.recognizer/);
  });
});
