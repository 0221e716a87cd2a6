/**
 * Deadlines as data (issue 11): the waiting room, the maximum wait and inactivity are deadlines
 * kept in the handoff record (`{ kind, dueAt }`), not timers in memory, so a restart loses none and
 * any instance can act on them. These pure functions decide which deadlines a record carries after
 * any change ({@link planDeadlines}), what the user's activity does to them ({@link userActive}),
 * and what due deadlines do ({@link fireDue}); the sweeper (deadline-sweeper.ts) applies them
 * inside compare-and-set writes, so of several instances one acts, once.
 */
import { endedByInactivity, gaveUpWaiting, transition } from './state';
import type { Deadline, DeadlineKind, HandoffEffect, HandoffRecord, HandoffState, TransitionResult } from './types';

/** The timing rules, in ms (resolved from the `waitingRoom` and `inactivity` options). */
export interface DeadlinePolicy {
  /**
   * How long an escalation may stay `escalating` (the create call running). Past it, the instance
   * that ran the call is taken to have stopped: the handoff fails (`createFailed`) and the messages
   * held meanwhile go back to the bot, instead of being held for ever.
   */
  createTimeoutMs?: number;
  /** Waiting-room update interval while queued. */
  waitingUpdateMs?: number;
  /** Maximum time queued, from the escalation. */
  maxWaitMs?: number;
  /** At the maximum wait: offer keep-waiting / back-to-bot, or return the user to the bot at once. */
  onMaxWait: 'offer' | 'return';
  /** Customer silence (queued, connected or transferring) before the reminder. */
  remindAfterMs?: number;
  /** Further silence after the reminder before the handoff ends. */
  endAfterMs?: number;
}

/** Queue figures for a waiting-room update, when a provider supplied them. */
export interface WaitingFigures {
  position?: number;
  estimatedWaitSeconds?: number;
}

const INACTIVITY: ReadonlySet<DeadlineKind> = new Set(['inactivityReminder', 'inactivityEnd']);
const WAITING: ReadonlySet<DeadlineKind> = new Set(['waitingUpdate', 'maxWait']);

/** States in which the customer is expected to be there (the 8x8 conversation exists). */
function isLive(state: HandoffState): boolean {
  return state === 'queued' || state === 'connected' || state === 'transferring';
}

/** The earliest due time of a record's deadlines, or undefined. */
export function earliestDeadline(record: HandoffRecord | undefined): number | undefined {
  let min: number | undefined;
  for (const d of record?.deadlines ?? []) if (min === undefined || d.dueAt < min) min = d.dueAt;
  return min;
}

/**
 * The deadlines `after` must carry, given the change from `before`, at `now`. Returns `after`
 * itself when nothing changes (so an untouched record is not written).
 * - Not live (bot, escalating): none, and no open offer.
 * - Entering `queued`: a waiting-room update `waitingUpdateMs` from now, the maximum wait
 *   `maxWaitMs` from the escalation. Leaving `queued`: both go, and the offer with them.
 * - Live with inactivity configured: a reminder `remindAfterMs` from now when there is no
 *   inactivity deadline yet, or when an agent (another one) just joined.
 */
export function planDeadlines(before: HandoffRecord, after: HandoffRecord, now: number, policy: DeadlinePolicy): HandoffRecord {
  if (after.state === 'escalating') return planCreate(after, now, policy);
  if (!isLive(after.state)) return after.deadlines !== undefined || after.offer !== undefined ? { ...after, deadlines: undefined, offer: undefined } : after;
  let list = (after.deadlines ?? []).filter((d) => d.kind !== 'createTimeout');
  let offer = after.offer;
  if (after.state !== 'queued') {
    list = list.filter((d) => !WAITING.has(d.kind));
    offer = undefined;
  } else if (before.state !== 'queued') {
    if (policy.waitingUpdateMs !== undefined) list = upsert(list, 'waitingUpdate', now + policy.waitingUpdateMs);
    if (policy.maxWaitMs !== undefined) list = upsert(list, 'maxWait', (after.escalatedAt ?? now) + policy.maxWaitMs);
  }
  if (policy.remindAfterMs !== undefined) {
    const joined = after.state === 'connected' && (before.state !== 'connected' || before.agentId !== after.agentId);
    if (joined || !list.some((d) => INACTIVITY.has(d.kind))) list = [...list.filter((d) => !INACTIVITY.has(d.kind)), { kind: 'inactivityReminder', dueAt: now + policy.remindAfterMs }];
  }
  if (offer === after.offer && sameDeadlines(list, after.deadlines ?? [])) return after;
  return { ...after, deadlines: list.length ? list : undefined, offer };
}

/** While the create call runs: only its timeout, from the escalation. */
function planCreate(after: HandoffRecord, now: number, policy: DeadlinePolicy): HandoffRecord {
  const list: Deadline[] = policy.createTimeoutMs === undefined ? [] : [{ kind: 'createTimeout', dueAt: (after.escalatedAt ?? now) + policy.createTimeoutMs }];
  if (after.offer === undefined && sameDeadlines(list, after.deadlines ?? [])) return after;
  return { ...after, deadlines: list.length ? list : undefined, offer: undefined };
}

/**
 * The customer wrote: the silence count starts again (a reminder `remindAfterMs` from now). The
 * same record when nothing changes, or when the reminder would move by less than a second (a
 * burst of messages costs one write).
 */
export function userActive(record: HandoffRecord, now: number, policy: DeadlinePolicy): HandoffRecord {
  if (policy.remindAfterMs === undefined || !isLive(record.state)) return record;
  const dueAt = now + policy.remindAfterMs;
  const current = record.deadlines?.filter((d) => INACTIVITY.has(d.kind)) ?? [];
  if (current.length === 1 && current[0]!.kind === 'inactivityReminder' && Math.abs(current[0]!.dueAt - dueAt) < 1000) return record;
  const others = (record.deadlines ?? []).filter((d) => !INACTIVITY.has(d.kind));
  return { ...record, deadlines: [...others, { kind: 'inactivityReminder', dueAt }] };
}

/** The kinds of `record`'s deadlines due at `now`, earliest first. */
export function dueKinds(record: HandoffRecord | undefined, now: number): DeadlineKind[] {
  return [...(record?.deadlines ?? [])].filter((d) => d.dueAt <= now).sort((a, b) => a.dueAt - b.dueAt).map((d) => d.kind);
}

/**
 * Acts on every deadline of `record` due at `now`, earliest first; undefined when none is due.
 * Each acts only in the states it belongs to (a stale one is dropped) and a repeating one is
 * rescheduled from `now`, so a long outage yields one update, not a burst of catch-up.
 */
export function fireDue(record: HandoffRecord, now: number, policy: DeadlinePolicy, figures?: WaitingFigures): TransitionResult | undefined {
  if (!dueKinds(record, now).length) return undefined;
  let current = record;
  const effects: HandoffEffect[] = [];
  for (;;) {
    const next = [...(current.deadlines ?? [])].filter((d) => d.dueAt <= now).sort((a, b) => a.dueAt - b.dueAt)[0];
    if (!next) break;
    const fired = fireOne(current, next, now, policy, figures);
    effects.push(...fired.effects);
    current = fired.record;
    if (current.state === 'bot') break;
  }
  return { record: current, effects };
}

function fireOne(record: HandoffRecord, deadline: Deadline, now: number, policy: DeadlinePolicy, figures?: WaitingFigures): TransitionResult {
  const without = { ...record, deadlines: (record.deadlines ?? []).filter((d) => d !== deadline) };
  const queued = record.state === 'queued';
  switch (deadline.kind) {
    case 'createTimeout':
      if (record.state !== 'escalating' || !record.handoffId) return { record: without, effects: [] };
      // A late create result then finds the handoff abandoned: it leaves that 8x8 conversation at once.
      return transition(without, { type: 'createFailed', handoffId: record.handoffId, reason: 'the create call did not complete in time (the instance running it may have stopped)', now, cooldownMs: 0 });
    case 'waitingUpdate':
      if (!queued || policy.waitingUpdateMs === undefined) return { record: without, effects: [] };
      // An open offer is a question: an update after it would push its buttons out of view (Web Chat shows the last activity's only).
      if (record.offer !== undefined) return { record: withDeadline(without, 'waitingUpdate', now + policy.waitingUpdateMs), effects: [] };
      return { record: withDeadline(without, 'waitingUpdate', now + policy.waitingUpdateMs), effects: [waitingNotice(figures)] };
    case 'maxWait':
      if (!queued || policy.maxWaitMs === undefined) return { record: without, effects: [] };
      if (policy.onMaxWait === 'return') return gaveUpWaiting(without, 'maxWaitReturned', 'maximum wait reached');
      // Offered again after another full wait when the user keeps silent (inactivity ends a gone user).
      return {
        record: { ...withDeadline(without, 'maxWait', now + policy.maxWaitMs), offer: 'maxWait' },
        effects: [{ type: 'notify', key: 'maxWaitOffer', actions: ['keepWaitingAction', 'backToBotAction'] }],
      };
    case 'inactivityReminder':
      if (!isLive(record.state) || policy.endAfterMs === undefined) return { record: without, effects: [] };
      return {
        record: withDeadline(without, 'inactivityEnd', now + policy.endAfterMs),
        effects: [{ type: 'notify', key: 'inactivityReminder', params: { endAfterMinutes: minutes(policy.endAfterMs / 1000) } }],
      };
    case 'inactivityEnd':
      if (!isLive(record.state)) return { record: without, effects: [] };
      return endedByInactivity(without);
  }
}

/** The waiting-room text for the figures at hand. */
export function waitingNotice(figures: WaitingFigures | undefined): HandoffEffect {
  const position = figures?.position !== undefined && figures.position > 0 ? String(Math.round(figures.position)) : undefined;
  const wait = figures?.estimatedWaitSeconds !== undefined && figures.estimatedWaitSeconds > 0 ? minutes(figures.estimatedWaitSeconds) : undefined;
  if (position && wait) return { type: 'notify', key: 'waitingPositionEstimate', params: { position, estimatedWaitMinutes: wait } };
  if (position) return { type: 'notify', key: 'waitingPosition', params: { position } };
  if (wait) return { type: 'notify', key: 'waitingEstimate', params: { estimatedWaitMinutes: wait } };
  return { type: 'notify', key: 'waitingUpdate' };
}

/** Whole minutes, at least 1, as text. */
function minutes(seconds: number): string {
  return String(Math.max(1, Math.round(seconds / 60)));
}

function withDeadline(record: HandoffRecord, kind: DeadlineKind, dueAt: number): HandoffRecord {
  return { ...record, deadlines: upsert(record.deadlines ?? [], kind, dueAt) };
}

function upsert(list: Deadline[], kind: DeadlineKind, dueAt: number): Deadline[] {
  return [...list.filter((d) => d.kind !== kind), { kind, dueAt }];
}

function sameDeadlines(a: Deadline[], b: Deadline[]): boolean {
  return a.length === b.length && a.every((d, i) => d.kind === b[i]!.kind && d.dueAt === b[i]!.dueAt);
}
