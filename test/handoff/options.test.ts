import { MemoryStorage } from 'botbuilder-core';
import { realScheduler } from '../../src/time';
import { ConfigurationError } from '../../src/errors';
import { resolveHandoffOptions, type HandoffMiddlewareOptions } from '../../src/handoff/options';
import { HandoffMiddleware } from '../../src/handoff';
import { CHANNEL_PACE_LIMITS } from '../../src/handoff/channel-pacing';
import { silentLogger } from '../../src/logger';

const gateway = {
  createConversation: async () => ({ conversationId: 'c' }),
  sendMessage: async () => undefined,
  uploadAttachment: async () => ({ id: 'a', filename: 'f' }),
  sendTyping: async () => undefined,
  removeUser: async () => undefined,
};
const adapter = { continueConversationAsync: async () => undefined };
const valid: HandoffMiddlewareOptions = { gateway, channelId: 'ch', queueId: 'q', adapter, botAppId: '', logger: silentLogger };

function optionOf(options: unknown): string | undefined {
  try {
    new HandoffMiddleware(options as HandoffMiddlewareOptions);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as ConfigurationError).option;
  }
}

describe('resolveHandoffOptions()', () => {
  it('should apply the documented defaults when only the required options are given', () => {
    const resolved = resolveHandoffOptions(valid);
    expect(resolved.storage).toBeInstanceOf(MemoryStorage);
    expect(resolved.cooldownMs).toBe(60_000);
    expect(resolved.orphanSweepMs).toEqual([10_000, 60_000]);
    expect(resolved.transcript).toEqual({ maxEntries: 220, maxBytes: 262_144, maxHistoryMessages: 200, maxAttachmentBytes: 10 * 1024 * 1024 });
    expect(resolved.cancelPhrases).toEqual({ default: ['cancel', 'end chat', 'stop chat'] });
    expect(resolved.redact('x')).toBe('x');
    expect(resolved.relayLeaseMs).toBe(30_000);
    expect(resolved.adaptiveCardVersion).toBe('1.3');
    expect(resolved.instanceId).toMatch(/^[0-9a-f-]{36}$/);
    expect(resolved.pacing).toEqual({ channels: CHANNEL_PACE_LIMITS, limits: false });
    expect(resolved.pacing && resolved.pacing.channels.msteams).toEqual([
      { count: 7, windowMs: 1_000 }, { count: 8, windowMs: 2_000 }, { count: 60, windowMs: 30_000 }, { count: 1_800, windowMs: 3_600_000 },
    ]);
    expect(resolveHandoffOptions(valid).instanceId).not.toBe(resolved.instanceId);
    expect(resolved.clock).toBe(Date.now);
    expect(resolved.scheduler).toBe(realScheduler);
  });

  it('should name the option at fault and the fix when an option is missing or wrong', () => {
    expect(optionOf({ ...valid, gateway: {} })).toBe('gateway');
    expect(optionOf({ ...valid, channelId: ' ' })).toBe('channelId');
    expect(optionOf({ ...valid, queueId: undefined })).toBe('queueId');
    expect(optionOf({ ...valid, adapter: {} })).toBe('adapter');
    expect(optionOf({ ...valid, botAppId: undefined })).toBe('botAppId');
    expect(optionOf({ ...valid, bot: {} })).toBe('bot');
    expect(optionOf({ ...valid, confirm: 'yes' })).toBe('confirm');
    expect(optionOf({ ...valid, cooldownMs: -1 })).toBe('cooldownMs');
    expect(optionOf({ ...valid, orphanSweepMs: [-5] })).toBe('orphanSweepMs');
    expect(optionOf({ ...valid, clock: 5 })).toBe('clock');
    expect(optionOf({ ...valid, scheduler: setTimeout })).toBe('scheduler');
    expect(optionOf({ ...valid, transcript: { maxHistoryMessages: 500 } })).toBe('transcript.maxHistoryMessages');
    expect(optionOf({ ...valid, messages: { conecting: 'typo' } })).toBe('messages.conecting');
    expect(optionOf({ ...valid, cancelPhrases: { fr: [''] } })).toBe('cancelPhrases.fr');
    expect(optionOf({ ...valid, relayLeaseMs: 0 })).toBe('relayLeaseMs');
    expect(optionOf({ ...valid, instanceId: '' })).toBe('instanceId');
    expect(optionOf({ ...valid, adaptiveCardVersion: '1.7' })).toBe('adaptiveCardVersion');
    expect(optionOf({ ...valid, adaptiveCardVersion: 1.3 })).toBe('adaptiveCardVersion');
    expect(optionOf({ ...valid, pacing: true })).toBe('pacing');
    expect(optionOf({ ...valid, pacing: { limits: [] } })).toBe('pacing.limits');
    expect(optionOf({ ...valid, pacing: { limits: [{ count: 0, windowMs: 1000 }] } })).toBe('pacing.limits[0].count');
    expect(optionOf({ ...valid, pacing: { channels: [] as never } })).toBe('pacing.channels');
    expect(optionOf({ ...valid, pacing: { channels: { msteams: [{ count: 7, windowMs: -1 }] } } })).toBe('pacing.channels.msteams[0].windowMs');
    expect(optionOf({ ...valid, pacing: { channels: { slack: [] } } })).toBe('pacing.channels.slack');
    expect(() => new HandoffMiddleware({ ...valid, botAppId: undefined } as never)).toThrow(/MicrosoftAppId/);
  });

  it('should turn pacing off with false and keep the limits given', () => {
    expect(resolveHandoffOptions({ ...valid, pacing: false }).pacing).toBe(false);
    expect(resolveHandoffOptions({ ...valid, pacing: { limits: [{ count: 3, windowMs: 300 }] } }).pacing).toEqual({ channels: CHANNEL_PACE_LIMITS, limits: [{ count: 3, windowMs: 300 }] });
    const custom = resolveHandoffOptions({ ...valid, pacing: { channels: { msteams: [{ count: 2, windowMs: 500 }], webchat: [{ count: 9, windowMs: 1_000 }], slack: false } } }).pacing;
    expect(custom).toEqual({ channels: { ...CHANNEL_PACE_LIMITS, msteams: [{ count: 2, windowMs: 500 }], webchat: [{ count: 9, windowMs: 1_000 }], slack: false }, limits: false });
  });

  it('should take the queue, triggers, messages and cancel phrases from a loaded config when not given directly', () => {
    const trigger = { name: 'custom' };
    const resolved = resolveHandoffOptions({ ...valid, queueId: undefined, config: { queueId: 'from-config', triggers: [trigger], routing: [], messages: { failed: 'Nope' }, cancelPhrases: { default: ['stop'] } } });
    expect(resolved.queueId).toBe('from-config');
    expect(resolved.triggers).toEqual([trigger]);
    expect(resolved.messages.failed).toBe('Nope');
    expect(resolved.cancelPhrases).toEqual({ default: ['stop'] });
  });
});
