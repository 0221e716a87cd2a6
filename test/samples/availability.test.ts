/**
 * The sample's closed path: the embedded emulator's open/closed switch (what its Tenant Schedule
 * answers) and opening hours from the HANDOFF_CONFIG file both keep the customer with the bot,
 * told when the team is back; nothing reaches the agent console.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../src/logger';
import { startSample, type RunningSample } from '../../samples/echo-to-agent/src/start-sample';
import { WELCOME_TEXT } from '../../samples/echo-to-agent/src/bot/echo-bot';
import { TestDirectLine } from './support/directline-client';

const start = (env: NodeJS.ProcessEnv) => startSample({ env, port: 0, emulatorPort: 0, logger: silentLogger, out: () => undefined });
const directLine = (sample: RunningSample) => TestDirectLine.start(`${sample.url.replace('localhost', '127.0.0.1')}/v3/directline`, `dl_${Math.random().toString(36).slice(2)}`);

describe('the sample when the contact center is closed', () => {
  it('follows the console switch: closed keeps the user with the bot; open hands over again', async () => {
    const sample = await start({});
    try {
      sample.emulator!.contactCenter.setOpenMode('closed');
      const dl = await directLine(sample);
      await dl.botSays(WELCOME_TEXT);
      await dl.say('agent');
      await dl.botSays("Sorry, our team isn't available right now. I'm still here to help.");
      await dl.say('ping');
      await dl.botSays('You said: ping');
      expect(sample.emulator!.conversations).toHaveLength(0);
      sample.emulator!.contactCenter.setOpenMode('open');
      await dl.say('agent');
      await sample.emulator!.waitForConversation(() => true, { timeoutMs: 10_000 });
    } finally {
      await sample.close();
    }
  });

  it('reads opening hours from HANDOFF_CONFIG and says when the team is back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'handoff-config-'));
    const file = join(dir, 'handoff.json');
    // Open one minute a week, on a day that is not today: closed now, with a known next opening.
    const days = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
    const other = days[(new Date().getUTCDay() + 3) % 7]!;
    writeFileSync(file, JSON.stringify({ availability: { timeZone: 'UTC', weekly: { [other]: [['09:00', '09:01']] } } }));
    const sample = await start({ HANDOFF_CONFIG: file });
    try {
      const dl = await directLine(sample);
      await dl.botSays(WELCOME_TEXT);
      await dl.say('agent');
      const reply = await dl.botSays(/^Sorry, our team isn't available right now\. We're back on \w+day, .* at 9:00 AM UTC\. I'm still here to help\.$/);
      expect(reply).toBeTruthy();
      expect(sample.emulator!.conversations).toHaveLength(0);
    } finally {
      await sample.close();
    }
  });

  it('refuses a bad HANDOFF_CONFIG at startup, naming the field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'handoff-config-'));
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ availability: { timeZone: 'Mars/Base', weekly: {} } }));
    await expect(start({ HANDOFF_CONFIG: file })).rejects.toThrow(/availability\.timeZone/);
  });
});
