/**
 * The part of the Chat Gateway API that `setup` uses, as a port: `ChatGatewayClient` satisfies it,
 * and the list helpers walk every page.
 */
import type { Channel, ChannelRequest, HalList, ListQuery, Webhook, WebhookVersion } from '../gateway/types';

/** The Chat Gateway calls `setup` makes. */
export interface SetupGateway {
  listWebhooks(query?: ListQuery): Promise<HalList<'webhooks', Webhook>>;
  /** Creates a webhook; the client sends `version` as both `version` and `notificationVersion`. */
  createWebhook(body: { name: string; uri: string; version?: WebhookVersion }): Promise<Webhook>;
  /** `POST /webhooks/verify`: resolves when 8x8 got a 2xx from the URI. */
  verifyWebhook(body: { uri: string; version?: string }): Promise<void>;
  listChannels(query?: ListQuery): Promise<HalList<'channels', Channel>>;
  createChannel(body: ChannelRequest): Promise<Channel>;
}

/** A safety stop: 50 pages of 100 is far more than any tenant has. */
const MAX_PAGES = 50;
const PAGE_SIZE = 100;

/** Fetches every item of a paged HAL list. */
export async function listAll<K extends string, T>(key: K, fetchPage: (query: ListQuery) => Promise<HalList<K, T>>): Promise<T[]> {
  const items: T[] = [];
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const list = await fetchPage({ page, size: PAGE_SIZE });
    // An empty HAL list may leave `_embedded` out altogether.
    const pageItems = list._embedded?.[key] ?? [];
    items.push(...pageItems);
    const totalPages = list.page?.totalPages ?? 1;
    if (pageItems.length === 0 || page + 1 >= totalPages) break;
  }
  return items;
}
