/**
 * The optional hand-back through 8x8's post-agent assignment (REFERENCE.md 3.5): right after the
 * create, 8x8 is asked to route the conversation back to a bot webhook when the agent finishes,
 * instead of closing it. Pure: the option's check and the request body.
 */
import { ConfigurationError } from '../errors';
import type { PostAgentAssignmentRequest } from '../gateway/types';

/** `postAgentAssignment` of the middleware options (and of the declarative config file). */
export interface PostAgentAssignmentOptions {
  /** The 8x8 webhook id the conversation goes back to after the agent (`npx botbuilder-8x8-handoff setup` prints it). */
  webhookId: string;
  /** 8x8 finishes the conversation this many minutes after the hand-back (20..600). */
  maxTotalMinutes?: number;
  /** 8x8 finishes the conversation when the user has not replied this many minutes after the bot's last message (10..300). */
  userTimeoutInMinutes?: number;
}

const OPTION = 'postAgentAssignment';

function minutes(name: keyof PostAgentAssignmentOptions, value: unknown, min: number, max: number): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ConfigurationError(`${OPTION}.${name}`, `must be a whole number of minutes from ${min} to ${max} (8x8's range), got ${String(value)}`, `Pass e.g. ${name === 'maxTotalMinutes' ? 300 : 150}, or leave it out.`);
  }
}

/**
 * Checks the option and returns the request body for `POST .../post-agent-assignment`, or
 * undefined when the option is not set. Throws a {@link ConfigurationError} naming the field.
 */
export function resolvePostAgentAssignment(value: unknown): PostAgentAssignmentRequest | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || typeof (value as { webhookId?: unknown }).webhookId !== 'string' || (value as { webhookId: string }).webhookId === '') {
    throw new ConfigurationError(OPTION, 'must be { webhookId, maxTotalMinutes?, userTimeoutInMinutes? } with a non-empty webhookId', 'Pass the id of the webhook the bot listens on (see `npx botbuilder-8x8-handoff setup`), or leave it out.');
  }
  const { webhookId, maxTotalMinutes, userTimeoutInMinutes } = value as PostAgentAssignmentOptions;
  minutes('maxTotalMinutes', maxTotalMinutes, 20, 600);
  minutes('userTimeoutInMinutes', userTimeoutInMinutes, 10, 300);
  const configuration: NonNullable<PostAgentAssignmentRequest['configuration']> = {};
  if (maxTotalMinutes !== undefined) configuration.maxTotalMinutes = maxTotalMinutes;
  if (userTimeoutInMinutes !== undefined) configuration.userTimeoutInMinutes = userTimeoutInMinutes;
  return { id: webhookId, type: 'webhook', ...(Object.keys(configuration).length ? { configuration } : {}) };
}
