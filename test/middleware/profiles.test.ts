/**
 * The middleware's end-to-end path once per emulator fidelity profile (issue 10): whatever
 * documented form 8x8 uses (blank sender types, id-only files, legacy events, mistyped and extra
 * fields, reordered and repeated events), the user and the bot see the same conversation. Real
 * emulator, real client, real signed webhook into the middleware on a TestAdapter.
 */
import { FIDELITY_PROFILES, type FidelityProfile } from '../../src/emulator';
import { DEFAULT_MESSAGES } from '../../src/handoff';
import { triggers } from '../../src/triggers';
import { connectedUser, eventually, startHarness, type Harness } from './harness';

const M = DEFAULT_MESSAGES;
const FILE = Buffer.from('order #42: shipped');

/** What the user is shown, in order, in every profile (each notice once, however often 8x8 repeats an event). */
const EXPECTED_TEXTS = [
  M.connecting,
  M.agentJoined,
  'plain text',
  'your receipt',
  M.transferring,
  M.agentJoined,
  'second agent here',
  M.agentLeft,
  'echo: hi bot',
];

/** True once the conversation's `idle` update and the member change after it were delivered, and nothing is pending. */
function endDelivered(h: Harness, gatewayId: string): boolean {
  const events = h.emulator.deliveries.filter((d) => d.conversationId === gatewayId);
  const idle = events.findIndex((d) => d.eventType === 'CONVERSATION_UPDATE' && (d.event.data as { state?: string } | undefined)?.state === 'idle');
  return idle >= 0 && events.slice(idle).some((d) => d.eventType === 'MEMBERS_CHANGED') && events.every((d) => d.status === 'delivered');
}

const statusesByProfile = new Map<FidelityProfile, string[]>();

describe.each(FIDELITY_PROFILES.map((p) => [p]))('HandoffMiddleware end to end, emulator fidelity profile %s', (profile) => {
  it('should show the user the same conversation: joins, typing, text, a file, a transfer, the end, the bot again', async () => {
    const h = await startHarness({ middleware: { triggers: [triggers.keywords(['agent'])] }, emulator: { fidelity: profile } });
    try {
      const { user, gatewayId } = await connectedUser(h, `profile-${profile}`);
      const first = h.emulator.agent('agent-1');
      await first.typing(true, gatewayId);
      await user.waitFor((a) => a.type === 'typing', 'the agent typing');
      await first.say('plain text', { conversationId: gatewayId });
      await user.waitForText('plain text');
      await first.say('your receipt', { conversationId: gatewayId, attachments: [{ filename: 'receipt.txt', contentType: 'text/plain', data: FILE }] });
      const withFile = await user.waitForText('your receipt');
      const file = withFile.attachments?.[0];
      expect(file).toMatchObject({ name: 'receipt.txt', contentType: 'text/plain' });
      expect(await (await fetch(file!.contentUrl!)).text()).toBe(FILE.toString());

      await first.transfer('billing', gatewayId);
      await user.waitForText(M.transferring);
      await eventually(() => h.emulator.conversation(gatewayId)?.status === 'queued', 'queued again after the transfer');
      const second = h.emulator.agent('agent-2');
      await second.accept(gatewayId);
      await eventually(() => user.texts().filter((t) => t === M.agentJoined).length === 2, 'the second agent-joined notice');
      await second.say('second agent here', { conversationId: gatewayId });
      await user.waitForText('second agent here');
      await second.leave(gatewayId);
      await user.waitForText(M.agentLeft);
      await eventually(() => h.bot.statuses.some((s) => s.conversation === `profile-${profile}` && s.state === 'completed'), 'completed status');

      await user.say('hi bot');
      await user.waitForText('echo: hi bot');
      // Late, repeated or reordered events of the ended handoff change nothing: wait until the
      // emulator delivered its last event of the conversation (the member change after `idle`).
      await eventually(() => endDelivered(h, gatewayId), 'every event of the ended conversation delivered');
      await h.handoff.whenIdle();
      expect(user.texts()).toEqual(EXPECTED_TEXTS);
      expect(h.errors).toEqual([]);
      statusesByProfile.set(profile, h.bot.statuses.filter((s) => s.conversation === `profile-${profile}`).map((s) => s.state));
    } finally {
      await h.close();
    }
  });
});

describe('every profile', () => {
  it('should give the bot the same handoff.status sequence as the standard profile', () => {
    const standard = statusesByProfile.get('standard');
    expect(standard).toEqual(expect.arrayContaining(['accepted', 'agentJoined', 'completed']));
    for (const profile of FIDELITY_PROFILES) expect({ profile, states: statusesByProfile.get(profile) }).toEqual({ profile, states: standard });
  });
});
