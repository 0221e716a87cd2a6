/**
 * Pacing by channel (RELIABILITY O6, issue 12). The per-conversation limits the relay used to
 * apply everywhere (7 in 1 s, 8 in 2 s, 60 in 30 s) are Microsoft Teams' limits; Teams also caps a
 * conversation at 1,800 sends an hour. Other channels document their own limits or none, so each
 * channel is paced by its own table: a burst of agent messages into Web Chat is not stretched
 * over seconds by Teams' windows.
 */
import { ConfigurationError } from '../errors';
import { resolveSendPacerOptions, SendPacer, type PaceLimit, type SendPacerOptions } from './pacer';

/** Microsoft Teams' per-conversation limits for bots: 7/1 s, 8/2 s, 60/30 s and 1,800/3,600 s. */
export const TEAMS_LIMITS: readonly PaceLimit[] = Object.freeze([
  Object.freeze({ count: 7, windowMs: 1_000 }),
  Object.freeze({ count: 8, windowMs: 2_000 }),
  Object.freeze({ count: 60, windowMs: 30_000 }),
  Object.freeze({ count: 1_800, windowMs: 3_600_000 }),
]);

/** One message a second per chat or channel (Slack's `chat.postMessage`, Telegram's per-chat guidance). */
const ONE_PER_SECOND: readonly PaceLimit[] = Object.freeze([Object.freeze({ count: 1, windowMs: 1_000 })]);

/**
 * The built-in limits by Bot Framework `channelId`. `false`: the channel documents no
 * per-conversation limit, so its sends are not paced. A channel not listed here gets
 * `pacing.limits` (none by default).
 */
export const CHANNEL_PACE_LIMITS: Readonly<Record<string, readonly PaceLimit[] | false>> = Object.freeze({
  msteams: TEAMS_LIMITS,
  slack: ONE_PER_SECOND,
  telegram: ONE_PER_SECOND,
  webchat: false,
  directline: false,
});

/** The middleware's `pacing` option (when not `false`). */
export interface PacingOptions {
  /**
   * Limits by `channelId`, over {@link CHANNEL_PACE_LIMITS} (an entry replaces the built-in one of
   * its channel; `false` turns pacing off for it). E.g. `{ msteams: [{ count: 5, windowMs: 1000 }], webchat: false }`.
   */
  channels?: Record<string, readonly PaceLimit[] | false>;
  /** Limits of every channel with no entry in `channels` or {@link CHANNEL_PACE_LIMITS}. Default `false` (not paced). */
  limits?: readonly PaceLimit[] | false;
}

/** {@link PacingOptions} checked and with every default filled in (`false`: not paced). */
export interface ResolvedPacing {
  channels: Record<string, readonly PaceLimit[] | false>;
  limits: readonly PaceLimit[] | false;
}

/** Checks one limit list; a problem names the option path (`pacing.channels.msteams[0].count`). */
function checkLimits(option: string, limits: unknown): readonly PaceLimit[] | false {
  if (limits === false) return false;
  try {
    return resolveSendPacerOptions({ limits: limits as readonly PaceLimit[] }).limits;
  } catch (error) {
    // The pacer names `limits[i].count`; here the option is e.g. `pacing.channels.msteams[i].count`.
    if (error instanceof ConfigurationError) throw new ConfigurationError(`${option}${error.option.slice('limits'.length)}`, 'is invalid', error.message);
    throw error;
  }
}

/** Fills in the defaults of {@link PacingOptions}; throws a `ConfigurationError` naming the bad option. */
export function resolvePacing(pacing: PacingOptions | undefined): ResolvedPacing {
  const channels: Record<string, readonly PaceLimit[] | false> = { ...CHANNEL_PACE_LIMITS };
  const given = pacing?.channels;
  if (given !== undefined && (typeof given !== 'object' || given === null || Array.isArray(given))) {
    throw new ConfigurationError('pacing.channels', 'must be an object of limits by channelId', 'Pass e.g. { msteams: [{ count: 7, windowMs: 1000 }], webchat: false }.');
  }
  for (const [channel, limits] of Object.entries(given ?? {})) channels[channel] = checkLimits(`pacing.channels.${channel}`, limits);
  const limits = pacing?.limits === undefined ? false : checkLimits('pacing.limits', pacing.limits);
  return { channels, limits };
}

/** The limits of one channel under resolved pacing options (`false`: not paced). */
export function limitsFor(pacing: ResolvedPacing, channelId: string | undefined): readonly PaceLimit[] | false {
  const own = channelId !== undefined && Object.hasOwn(pacing.channels, channelId) ? pacing.channels[channelId] : undefined;
  return own ?? pacing.limits;
}

/** What the relay needs of a pacer: a slot for one more send of `key` (a conversation) on `channelId`. */
export interface ConversationPacer {
  acquire(key: string, channelId?: string): Promise<void>;
}

/**
 * Paces each conversation by its channel's limits: one {@link SendPacer} per channel with limits,
 * created on first use; sends on an unpaced channel go at once.
 */
export class ChannelPacer implements ConversationPacer {
  private readonly pacers = new Map<string, SendPacer>();

  /** @param pacer - clock, sleep and maxKeys for each channel's {@link SendPacer} (tests fake time). */
  constructor(
    private readonly pacing: ResolvedPacing,
    private readonly pacer: Omit<SendPacerOptions, 'limits'> = {},
  ) {}

  /** Resolves when one more send of `key` fits its channel's windows (at once on an unpaced channel). */
  acquire(key: string, channelId?: string): Promise<void> {
    const limits = limitsFor(this.pacing, channelId);
    if (!limits) return Promise.resolve();
    // Channels without their own entry share one pacer; the key (a bot conversation key) holds the channel anyway.
    const name = channelId !== undefined && Object.hasOwn(this.pacing.channels, channelId) ? `channel:${channelId}` : 'default';
    let pacer = this.pacers.get(name);
    if (!pacer) {
      pacer = new SendPacer({ ...this.pacer, limits });
      this.pacers.set(name, pacer);
    }
    return pacer.acquire(key);
  }
}
