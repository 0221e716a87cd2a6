/**
 * `/chat-gateway/v1/channels`: list, create (200; only `ChatAPI`), get, put, delete (204).
 * A channel links a webhook (`webHookId`, capital H) and a default queue (`routingOptions`).
 */
import { Router } from 'express';
import type { Channel } from '../../gateway/types';
import { sendHal, selfHref, type ApiContext } from './context';
import { halList, parseListParams } from './paging';
import { generalError, notFound } from './problems';
import { isObject } from './validate';

/** Validates a create/put body against the known webhooks and queues. */
function channelFields(ctx: ApiContext, body: unknown): Omit<Channel, 'id'> {
  if (!isObject(body)) throw generalError(400, 'invalid_json_object', 'The request body must be a JSON object.');
  const { name, webHookId, routingOptions } = body;
  const type = body.type ?? 'ChatAPI';
  if (typeof name !== 'string' || !name || name.length > 255) throw generalError(400, 'invalid_name', 'name is required (at most 255 characters).');
  if (type !== 'ChatAPI') throw generalError(400, 'invalid_channel_type', `Invalid type=${String(type)}; only ChatAPI channels can be created.`);
  if (typeof webHookId !== 'string' || !ctx.store.webhooks.has(webHookId)) {
    throw generalError(400, 'invalid_webhook', `WebHook ID ${String(webHookId)} is invalid.`);
  }
  if (!isObject(routingOptions) || (routingOptions.type ?? 'queue') !== 'queue' || typeof routingOptions.id !== 'string') {
    throw generalError(400, 'invalid_routing_options', 'routingOptions must be { type: "queue", id }.');
  }
  if (!ctx.engine.queue(routingOptions.id)) throw generalError(400, 'invalid_queue', `Queue ID ${routingOptions.id} is invalid.`);
  return { name, type: 'ChatAPI', webHookId, routingOptions: { type: 'queue', id: routingOptions.id } };
}

/** The channel routes. */
export function channelRoutes(ctx: ApiContext): Router {
  const router = Router();
  const { store } = ctx;
  const find = (id: string): Channel => {
    const channel = store.channels.get(id);
    if (!channel) throw notFound('Channel', id);
    return channel;
  };

  router.get('/channels', (req, res) => {
    const params = parseListParams(req.query, 'id:asc');
    sendHal(res, 200, halList('channels', [...store.channels.values()], params, selfHref(ctx, req)));
  });

  router.post('/channels', (req, res) => {
    const channel: Channel = { id: ctx.ids.next(22), ...channelFields(ctx, req.body) };
    store.channels.set(channel.id, channel);
    sendHal(res, 200, channel);
  });

  router.get('/channels/:channelId', (req, res) => sendHal(res, 200, find(req.params.channelId)));

  router.put('/channels/:channelId', (req, res) => {
    const id = find(req.params.channelId).id;
    const channel: Channel = { id, ...channelFields(ctx, req.body) };
    store.channels.set(id, channel);
    sendHal(res, 200, channel);
  });

  router.delete('/channels/:channelId', (req, res) => {
    store.channels.delete(find(req.params.channelId).id);
    res.status(204).end();
  });

  return router;
}
