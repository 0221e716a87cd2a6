/**
 * Structured log lines for a handoff's life, each carrying its correlation ids (`botConversation`,
 * `gatewayConversation`, `handoffId`) so one `grep` or log query follows a handoff end to end.
 * Only ids, states, reasons and durations: never message text, keys, tokens or signatures.
 */
import type { Logger } from '../logger';
import type { HandoffObserver } from './observer';

/** An observer that logs lifecycle steps at info, failures at warn and per-message steps at debug. */
export function loggingObserver(logger: Logger): HandoffObserver {
  return {
    handoffStarted: (e) => logger.info({ ...e }, 'handoff started'),
    handoffQueued: (e) => logger.info({ ...e }, 'handoff queued at 8x8'),
    agentJoined: (e) => logger.info({ ...e }, 'handoff: agent joined'),
    handoffCompleted: (e) => logger.info({ ...e }, 'handoff completed'),
    handoffFailed: (e) => logger.warn({ ...e }, 'handoff failed'),
    relayed: (e) => logger.debug({ ...e }, 'handoff: outbox item delivered'),
    gatewayCallFailed: (e) => logger.debug({ ...e }, '8x8 call failed'),
  };
}
