/**
 * The `setup` command's logic: find or create the webhook, find or create the Chat API channel
 * linked to it and the queue, verify the webhook, print the environment lines. No process, no
 * argv: the client and the output are passed in, so it runs the same in tests.
 */
import type { Channel, Webhook, WebhookVersion } from '../gateway/types';
import type { SetupArgs } from './setup-args';
import { listAll, type SetupGateway } from './setup-gateway';
import { formatEnvLines } from './env-lines';
import { explainSetupError } from './explain-error';

/** Effects `runSetup` needs. */
export interface SetupDeps {
  client: SetupGateway;
  /** Writes one line for the user. */
  out: (line: string) => void;
}

/** The only notification version of this product. */
export const CHAT_GATEWAY_VERSION: WebhookVersion = 'Chat Gateway v1.0';

/** Exit codes of the CLI. */
export const EXIT = { ok: 0, error: 1, usage: 2 } as const;

/** Runs setup and resolves to the exit code (0 done, 1 failed). Never throws. */
export async function runSetup(args: SetupArgs, deps: SetupDeps): Promise<number> {
  const { out } = deps;
  if (args.dryRun) out('Dry run: nothing will be created or changed.');
  try {
    const webhook = await findOrCreateWebhook(args, deps);
    const channel = await findOrCreateChannel(args, deps, webhook);
    const verified = await verify(args, deps);
    out('');
    const channelId = channel?.id ?? '<the new channel id>';
    for (const line of formatEnvLines({ ...args, channelId }, args.showKey)) out(line);
    return verified ? EXIT.ok : EXIT.error;
  } catch (err) {
    for (const line of explainSetupError(err, args)) out(line);
    return EXIT.error;
  }
}

/** Resolves to the webhook, or undefined when a dry run would create one. */
async function findOrCreateWebhook(args: SetupArgs, { client, out }: SetupDeps): Promise<Webhook | undefined> {
  const sameUrl = (await listAll('webhooks', (q) => client.listWebhooks(q))).filter((w) => sameUri(w.uri, args.webhookUrl));
  // Only a Chat Gateway webhook gets v1.0 events; a legacy (v2.0) one at the same URL is not ours to reuse or change.
  const existing = sameUrl.find(isChatGatewayWebhook);
  for (const other of sameUrl.filter((w) => w !== existing)) {
    out(`Webhook: ${other.id} "${other.name}" -> ${other.uri} is version "${webhookVersion(other) ?? '(none)'}", not ${CHAT_GATEWAY_VERSION}; leaving it as is`);
  }
  if (existing) {
    out(`Webhook: reusing ${existing.id} "${existing.name}" -> ${existing.uri}`);
    return existing;
  }
  if (args.dryRun) {
    out(`Webhook: would create "${args.name}" -> ${args.webhookUrl} (${CHAT_GATEWAY_VERSION})`);
    return undefined;
  }
  const created = await client.createWebhook({ name: args.name, uri: args.webhookUrl, version: CHAT_GATEWAY_VERSION });
  out(`Webhook: created ${created.id} "${created.name}" -> ${created.uri}`);
  return created;
}

/** Resolves to the channel, or undefined when a dry run would create one. */
async function findOrCreateChannel(args: SetupArgs, { client, out }: SetupDeps, webhook: Webhook | undefined): Promise<Channel | undefined> {
  if (webhook) {
    const channels = await listAll('channels', (q) => client.listChannels(q));
    const linked = channels.filter((c) => c.webHookId === webhook.id && (c.type === undefined || c.type === 'ChatAPI'));
    const match = linked.find((c) => c.routingOptions?.id === args.queueId);
    if (match) {
      out(`Channel: reusing ${match.id} "${match.name}" (webhook ${webhook.id}, queue ${args.queueId})`);
      return match;
    }
    for (const other of linked) out(`Channel: ${other.id} "${other.name}" uses this webhook but routes to queue ${other.routingOptions?.id}; leaving it as is`);
  }
  if (args.dryRun || !webhook) {
    out(`Channel: would create "${args.name}" (ChatAPI, webhook ${webhook?.id ?? '<the new webhook>'}, queue ${args.queueId})`);
    return undefined;
  }
  const created = await client.createChannel({ name: args.name, type: 'ChatAPI', webHookId: webhook.id, routingOptions: { type: 'queue', id: args.queueId } });
  out(`Channel: created ${created.id} "${created.name}" (webhook ${webhook.id}, queue ${args.queueId})`);
  return created;
}

/** Asks 8x8 to send WEB_HOOK_VERIFY to the URL; resolves false (after explaining) when it failed. */
async function verify(args: SetupArgs, { client, out }: SetupDeps): Promise<boolean> {
  if (args.dryRun) {
    out(`Verify: would ask 8x8 to call ${args.webhookUrl} (POST /webhooks/verify)`);
    return true;
  }
  try {
    await client.verifyWebhook({ version: CHAT_GATEWAY_VERSION, uri: args.webhookUrl });
    out(`Verify: 8x8 reached ${args.webhookUrl}`);
    return true;
  } catch (err) {
    out(`Verify: failed. 8x8 could not get a 2xx answer from ${args.webhookUrl}.`);
    for (const line of explainSetupError(err, args)) out(`  ${line}`);
    out('  Start your bot, make sure the URL is public (https) and routes to handoff.webhook(), then run setup again.');
    return false;
  }
}

/** The version a webhook reports (`version`, or `notificationVersion` as some answers name it). */
function webhookVersion(webhook: Webhook): string | undefined {
  const value = webhook.version ?? (webhook as { notificationVersion?: unknown }).notificationVersion;
  return typeof value === 'string' ? value : undefined;
}

/** True for a webhook of this product's version (compared without case and surrounding spaces). */
function isChatGatewayWebhook(webhook: Webhook): boolean {
  return webhookVersion(webhook)?.trim().toLowerCase() === CHAT_GATEWAY_VERSION.toLowerCase();
}

/** 8x8 may normalise a URI (host case, a trailing slash); compare the normalised forms. */
function sameUri(a: string, b: string): boolean {
  return normaliseUri(a) === normaliseUri(b);
}

function normaliseUri(uri: string): string {
  try {
    return new URL(uri).href.replace(/\/+$/, '');
  } catch {
    return uri.replace(/\/+$/, '');
  }
}
