/**
 * The sample with the lifecycle keys of HANDOFF_CONFIG (issue 11), over its local Direct Line
 * and embedded emulator, in real time with short intervals (the sweep follows the shortest one):
 * the waiting room tells the queued customer their place, and a second escalation within the
 * reopen window goes back to the same 8x8 conversation.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../src/logger';
import { startSample } from '../../samples/echo-to-agent/src/start-sample';
import { TestDirectLine } from './support/directline-client';

describe('the sample with waitingRoom and reopenWindowSeconds in HANDOFF_CONFIG', () => {
  it('updates the waiting customer, and reopens the same conversation after the agent left', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'handoff-config-')), 'handoff.json');
    writeFileSync(file, JSON.stringify({ waitingRoom: { updateEverySeconds: 0.3 }, reopenWindowSeconds: 3600 }));
    const sample = await startSample({ env: { HANDOFF_CONFIG: file }, port: 0, emulatorPort: 0, logger: silentLogger, out: () => undefined });
    try {
      const dl = await TestDirectLine.start(`${sample.url.replace('localhost', '127.0.0.1')}/v3/directline`, `dl_${Math.random().toString(36).slice(2)}`);
      await dl.say('agent');
      await dl.botSays(/Connecting you with a person/);
      await dl.botSays(/^Thanks for waiting\./);
      const emulator = sample.emulator!;
      const conversation = await emulator.waitForConversation(() => true);
      const agent = emulator.agent('agent-1');
      await agent.accept(conversation.id);
      await dl.botSays(/joined the conversation/);
      await agent.leave(conversation.id);
      await dl.botSays(/chatting with the bot again/);
      await dl.say('one more thing');
      await dl.botSays('You said: one more thing');
      await dl.say('agent');
      await agent.waitForMessage(conversation.id, (m) => m.authorType === 'user' && m.text === 'one more thing' && !m.fromHistory);
      expect(emulator.conversations).toHaveLength(1);
      await agent.accept(conversation.id);
      await agent.say('Welcome back.');
      await dl.botSays('Welcome back.');
    } finally {
      await sample.close();
    }
  });
});
