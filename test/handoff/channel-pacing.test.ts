/**
 * Pacing by channel (issue 12): Teams' per-conversation limits apply to `msteams` only; a burst of
 * agent messages into a Web Chat conversation goes out at once. Time is a fake clock moved by the
 * pacer's sleeps, so the test measures waits without timing anything.
 */
import { writeRecord } from '../support/records';
import { ChannelPacer, CHANNEL_PACE_LIMITS, limitsFor, resolvePacing, TEAMS_LIMITS, type PacingOptions } from '../../src/handoff/channel-pacing';
import { relayRig, textItem, BOT_KEY } from './relay-rig';

/** A channel pacer whose sleeps move a fake clock. */
function fakeTimePacer(options?: PacingOptions) {
  const time = { now: 0, slept: 0 };
  const pacer = new ChannelPacer(resolvePacing(options), {
    clock: () => time.now,
    sleep: async (ms) => {
      time.slept += ms;
      time.now += ms;
    },
  });
  return { pacer, time, now: () => time.now };
}

/** A connected conversation on `channelId` with 20 agent messages waiting. */
async function burstInto(channelId: string, options?: PacingOptions) {
  const { pacer, time, now } = fakeTimePacer(options);
  const items = Array.from({ length: 20 }, (_, i) => textItem(`m${i + 1}`));
  const rig = await relayRig(items, {}, { pacer, now });
  await writeRecord(rig.storage, BOT_KEY, (r) => ({ ...r, reference: { ...r.reference, channelId } }));
  await rig.relay.drain(BOT_KEY);
  expect(rig.errors).toEqual([]);
  expect(rig.adapter.texts()).toEqual(items.map((i) => i.id));
  return { times: rig.adapter.sent.map((s) => s.at), slept: time.slept };
}

describe('pacing by channel', () => {
  it('should not stretch a burst of 20 agent messages into one Web Chat conversation', async () => {
    const { times, slept } = await burstInto('webchat');
    expect(slept).toBe(0);
    expect(new Set(times)).toEqual(new Set([0]));
  });

  it('should pace the same burst into a Teams conversation under 7/1 s, 8/2 s and 60/30 s', async () => {
    const { times } = await burstInto('msteams');
    for (const { count, windowMs } of TEAMS_LIMITS) {
      for (let i = 0; i + count < times.length; i++) expect(times[i + count]! - times[i]!).toBeGreaterThanOrEqual(windowMs);
    }
    expect(times[7]).toBe(1_000);
    expect(times[19]).toBeGreaterThanOrEqual(4_000);
  });

  it('should send one message a second into Slack', async () => {
    const { times } = await burstInto('slack');
    expect(times.slice(0, 4)).toEqual([0, 1_000, 2_000, 3_000]);
  });

  it('should leave a channel with no documented limit unpaced, unless pacing.limits says otherwise', async () => {
    expect((await burstInto('facebook')).slept).toBe(0);
    const { times } = await burstInto('facebook', { limits: [{ count: 10, windowMs: 1_000 }] });
    expect(times[9]).toBe(0);
    expect(times[10]).toBe(1_000);
  });

  it('should let pacing.channels override a channel, including turning Teams pacing off', async () => {
    expect((await burstInto('msteams', { channels: { msteams: false } })).slept).toBe(0);
    const { times } = await burstInto('webchat', { channels: { webchat: [{ count: 5, windowMs: 2_000 }] } });
    expect(times[4]).toBe(0);
    expect(times[5]).toBe(2_000);
  });

  it('should keep conversations on different channels independent', async () => {
    const { pacer, now } = fakeTimePacer();
    for (let i = 0; i < 8; i++) await pacer.acquire('teams-conv', 'msteams');
    expect(now()).toBe(1_000);
    for (let i = 0; i < 20; i++) await pacer.acquire('webchat-conv', 'webchat');
    expect(now()).toBe(1_000);
  });

  it('should look limits up by channel, with the Teams hourly cap and unpaced Web Chat and Direct Line', () => {
    const pacing = resolvePacing(undefined);
    expect(limitsFor(pacing, 'msteams')).toEqual(TEAMS_LIMITS);
    expect(TEAMS_LIMITS).toContainEqual({ count: 1_800, windowMs: 3_600_000 });
    expect(limitsFor(pacing, 'webchat')).toBe(false);
    expect(limitsFor(pacing, 'directline')).toBe(false);
    expect(limitsFor(pacing, 'telegram')).toEqual([{ count: 1, windowMs: 1_000 }]);
    expect(limitsFor(pacing, undefined)).toBe(false);
    // An inherited property name is not a channel.
    expect(limitsFor(pacing, 'toString')).toBe(false);
    expect(Object.isFrozen(CHANNEL_PACE_LIMITS)).toBe(true);
  });
});
