/**
 * The setup half of the Chat Gateway API: webhooks, channels and the public JWK. These calls are
 * made once per deployment (or by a setup script); the conversation half extends this class.
 */
import type { BreakerState } from './circuit-breaker';
import { resolveGatewayOptions, type ChatGatewayClientOptions, type ResolvedGatewayOptions } from './options';
import { withEmbedded } from './pagination';
import { GatewayHttp, type GatewayCall } from './request';
import type {
  Channel, ChannelRequest, HalList, ListQuery, PublicJwk, VerifyWebhookRequest, Webhook, WebhookRequest,
  WebhookVersion,
} from './types';

/** Root of every Chat Gateway path. */
export const GATEWAY_PATH = '/chat-gateway/v1';

/** The webhook notification version of this product, sent by default. */
export const CHAT_GATEWAY_VERSION: WebhookVersion = 'Chat Gateway v1.0';

/** Webhook create/update input; `version` defaults to `Chat Gateway v1.0`. */
export type WebhookInput = Omit<WebhookRequest, 'notificationVersion'>;

/** Channel create/update input; `type` defaults to `ChatAPI`. */
export type ChannelInput = ChannelRequest;

/** Encodes one path segment; ids are opaque strings and must not be empty. */
export function segment(name: string, value: string): string {
  if (typeof value !== 'string' || value === '') throw new TypeError(`${name} must be a non-empty string`);
  return encodeURIComponent(value);
}

/** Webhooks, channels and JWK of the 8x8 Chat Gateway. */
export class ChatGatewaySetupClient {
  /** The options with defaults applied (the api key is among them: never log this object). */
  protected readonly options: ResolvedGatewayOptions;
  /** The HTTP edge. */
  protected readonly http: GatewayHttp;

  /** Validates the options (throwing `ConfigurationError`) and prepares the HTTP agent. */
  constructor(options: ChatGatewayClientOptions) {
    this.options = resolveGatewayOptions(options);
    this.http = new GatewayHttp(this.options);
  }

  /** The Chat Gateway host this client talks to (no trailing slash), e.g. `https://api.8x8.com`. */
  get baseUrl(): string {
    return this.options.baseUrl.replace(/\/+$/, '');
  }

  /**
   * The circuit breaker in front of the conversation calls (RELIABILITY.md O5), for health checks:
   * `closed`, `open` (calls fail at once with `E_8X8_UNAVAILABLE`), `half-open`, or `disabled`.
   */
  get breakerState(): BreakerState | 'disabled' {
    return this.http.breakerState;
  }

  /** `GET /webhooks`. */
  async listWebhooks(query?: ListQuery): Promise<HalList<'webhooks', Webhook>> {
    return this.list('webhooks', { method: 'GET', path: `${GATEWAY_PATH}/webhooks`, idempotent: true, query });
  }

  /** `POST /webhooks`; sends both `version` and `notificationVersion` (8x8's schema names both). */
  async createWebhook(req: WebhookInput): Promise<Webhook> {
    return this.data({ method: 'POST', path: `${GATEWAY_PATH}/webhooks`, idempotent: false, body: webhookBody(req) });
  }

  /** `GET /webhooks/{id}`. */
  async getWebhook(webhookId: string): Promise<Webhook> {
    return this.data({ method: 'GET', path: `${GATEWAY_PATH}/webhooks/${segment('webhookId', webhookId)}`, idempotent: true });
  }

  /** `PUT /webhooks/{id}` (full replace). */
  async updateWebhook(webhookId: string, req: WebhookInput): Promise<Webhook> {
    const path = `${GATEWAY_PATH}/webhooks/${segment('webhookId', webhookId)}`;
    return this.data({ method: 'PUT', path, idempotent: true, body: webhookBody(req) });
  }

  /** `DELETE /webhooks/{id}` (204). */
  async deleteWebhook(webhookId: string): Promise<void> {
    await this.http.send({ method: 'DELETE', path: `${GATEWAY_PATH}/webhooks/${segment('webhookId', webhookId)}`, idempotent: true });
  }

  /** `POST /webhooks/verify` (204): 8x8 sends `WEB_HOOK_VERIFY` to the URI and expects a 2xx. */
  async verifyWebhook(req: { uri: string; version?: string }): Promise<void> {
    const body: VerifyWebhookRequest = { version: req.version ?? CHAT_GATEWAY_VERSION, uri: req.uri };
    await this.http.send({ method: 'POST', path: `${GATEWAY_PATH}/webhooks/verify`, idempotent: false, body });
  }

  /** `GET /channels`. */
  async listChannels(query?: ListQuery): Promise<HalList<'channels', Channel>> {
    return this.list('channels', { method: 'GET', path: `${GATEWAY_PATH}/channels`, idempotent: true, query });
  }

  /** `POST /channels`; `type` defaults to `ChatAPI`, the only type the API can create. */
  async createChannel(req: ChannelInput): Promise<Channel> {
    return this.data({ method: 'POST', path: `${GATEWAY_PATH}/channels`, idempotent: false, body: channelBody(req) });
  }

  /** `GET /channels/{id}`. */
  async getChannel(channelId: string): Promise<Channel> {
    return this.data({ method: 'GET', path: `${GATEWAY_PATH}/channels/${segment('channelId', channelId)}`, idempotent: true });
  }

  /** `PUT /channels/{id}` (full replace); `type` defaults to `ChatAPI`. */
  async updateChannel(channelId: string, req: ChannelInput): Promise<Channel> {
    const path = `${GATEWAY_PATH}/channels/${segment('channelId', channelId)}`;
    return this.data({ method: 'PUT', path, idempotent: true, body: channelBody(req) });
  }

  /** `DELETE /channels/{id}` (204). */
  async deleteChannel(channelId: string): Promise<void> {
    await this.http.send({ method: 'DELETE', path: `${GATEWAY_PATH}/channels/${segment('channelId', channelId)}`, idempotent: true });
  }

  /** `GET /jwk/{kid}/public`: the RSA key that signs webhooks. Sent without the api key (public). */
  async getPublicJwk(kid: string): Promise<PublicJwk> {
    return this.data({ method: 'GET', path: `${GATEWAY_PATH}/jwk/${segment('kid', kid)}/public`, idempotent: true, auth: false });
  }

  /** Closes pooled keep-alive connections; call on shutdown. */
  close(): void {
    this.http.close();
  }

  /** Sends a call and returns the parsed body. */
  protected async data<T>(call: GatewayCall): Promise<T> {
    return (await this.http.send<T>(call)).data;
  }

  /** Sends a list call; an empty page may come without `_embedded` (HAL), so it is filled in. */
  protected async list<K extends string, T>(key: K, call: GatewayCall): Promise<HalList<K, T>> {
    return withEmbedded(key, await this.data<HalList<K, T>>(call));
  }
}

function webhookBody(req: WebhookInput): WebhookRequest {
  const version = req.version ?? CHAT_GATEWAY_VERSION;
  return { name: req.name, uri: req.uri, version, notificationVersion: version };
}

function channelBody(req: ChannelInput): ChannelRequest {
  return { name: req.name, type: req.type ?? 'ChatAPI', webHookId: req.webHookId, routingOptions: req.routingOptions };
}
