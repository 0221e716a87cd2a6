/**
 * A create call whose outcome is unknown (read timeout, connection reset, 500/502/504) may still
 * have queued a conversation at 8x8. The user was told the handoff failed and no bot conversation
 * links to it, so an agent accepting it would talk to nobody. RELIABILITY O2 says: mark the outcome
 * uncertain and reconcile. The sweep looks for the user's live conversations on our channel that
 * nothing links to, a little later (8x8 creates asynchronously), and ends them with the user-leave
 * call. It needs `listConversations` on the gateway (the `ChatGatewayClient` has it).
 */
import type { Conversation, ListQuery, HalList } from '../gateway/types';
import { ChatGatewayApiError, ChatGatewayNetworkError } from '../gateway/errors';
import type { ResolvedHandoffOptions } from './options';
import type { HandoffStore } from './store';
import type { ScheduledTask } from '../time';

/** True when 8x8 may have acted on the request even though the call failed. */
export function isOutcomeUnknown(error: unknown): boolean {
  if (error instanceof ChatGatewayNetworkError) return error.kind !== 'refused' && error.kind !== 'dns';
  return error instanceof ChatGatewayApiError && [500, 502, 504].includes(error.status);
}

/** What the sweep needs. */
export interface OrphanSweepDeps {
  listConversations(query?: ListQuery): Promise<HalList<'conversations', Conversation>>;
  removeUser(conversationId: string): Promise<void>;
  /** True when a bot conversation links to this 8x8 conversation (a live, legitimate handoff). */
  isLinked(conversationId: string): Promise<boolean>;
}

/**
 * Ends the user's unlinked, not-idle conversations on `channelId`; returns their ids. The filter
 * uses FIQL on `user.userId`; results are checked again here, since a server may ignore a filter.
 */
export async function endOrphanedConversations(deps: OrphanSweepDeps, channelId: string, userId: string): Promise<string[]> {
  const list = await deps.listConversations({ filter: `user.userId==${userId}`, size: 100 });
  const ended: string[] = [];
  for (const conversation of list._embedded?.conversations ?? []) {
    if (conversation.user?.userId !== userId || conversation.channelId !== channelId || conversation.state === 'idle') continue;
    if (await deps.isLinked(conversation.id)) continue;
    await deps.removeUser(conversation.id).catch((error: unknown) => {
      // Already gone is the outcome we wanted.
      if (!(error instanceof ChatGatewayApiError && error.status === 404)) throw error;
    });
    ended.push(conversation.id);
  }
  return ended;
}

/**
 * Schedules sweeps after create calls with an unknown outcome, on the injected scheduler (background
 * tasks: they never keep the process alive).
 */
export class OrphanSweeper {
  private readonly tasks = new Set<ScheduledTask>();

  constructor(
    private readonly store: HandoffStore,
    private readonly options: ResolvedHandoffOptions,
    private readonly track: (work: Promise<unknown>) => void,
  ) {}

  /** Sweeps for `userId` after each configured delay (nothing without a user id or `listConversations`). */
  schedule(botKey: string, userId: string | undefined): void {
    const { gateway, orphanSweepMs, channelId, logger, onError, scheduler } = this.options;
    const listConversations = gateway.listConversations?.bind(gateway);
    if (orphanSweepMs === false || !listConversations || !userId) return;
    const deps: OrphanSweepDeps = {
      listConversations,
      removeUser: (id) => gateway.removeUser(id),
      isLinked: async (id) => {
        const link = await this.store.readLink(id);
        return Boolean(link?.botKey && !link.ended);
      },
    };
    for (const delay of orphanSweepMs) {
      const task: ScheduledTask = scheduler.after(delay, () => {
        this.tasks.delete(task);
        const sweep = endOrphanedConversations(deps, channelId, userId).then(
          (ended) => {
            if (ended.length) logger.warn({ conversation: botKey, ended }, 'handoff: ended 8x8 conversations left behind by a create call that timed out');
          },
          (error: unknown) => onError(error, { where: 'escalation.sweep', conversation: botKey }),
        );
        this.track(sweep);
      }, { background: true });
      this.tasks.add(task);
    }
  }

  /** Cancels the scheduled sweeps. */
  dispose(): void {
    for (const task of this.tasks) task.cancel();
    this.tasks.clear();
  }
}
