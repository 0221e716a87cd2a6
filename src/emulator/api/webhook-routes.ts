/**
 * `/chat-gateway/v1/webhooks`: list, create (200, sends a WEB_HOOK_VERIFY ping), get, put,
 * delete (204) and verify (204 when the URI answers 2xx). Create and put accept the version as
 * `version` or `notificationVersion` (8x8's schema names both) and echo back `version`.
 */
import { Router } from 'express';
import type { Webhook } from '../../gateway/types';
import { isHttpUrl } from '../options';
import { sendHal, selfHref, type ApiContext } from './context';
import { halList, parseListParams } from './paging';
import { generalError, notFound } from './problems';
import { isObject } from './validate';

const VERSION = 'Chat Gateway v1.0';

/** Validates a create/put body; returns the webhook fields. */
function webhookFields(body: unknown): Omit<Webhook, 'id'> {
  if (!isObject(body)) throw generalError(400, 'invalid_json_object', 'The request body must be a JSON object.');
  const { name, uri } = body;
  if (typeof name !== 'string' || !name) throw generalError(400, 'invalid_name', 'name is required.');
  if (name.length > 256) throw generalError(400, 'invalid_name', 'name must be at most 256 characters.');
  if (!isHttpUrl(uri)) throw generalError(400, 'invalid_uri', 'uri must be an absolute http(s) URI.');
  const version = body.version ?? body.notificationVersion ?? VERSION;
  if (version !== VERSION) throw generalError(400, 'invalid_version', `Invalid version=${String(version)}, has to be ${VERSION}.`);
  return { name, uri, version: VERSION };
}

/** The webhook routes. */
export function webhookRoutes(ctx: ApiContext): Router {
  const router = Router();
  const { store } = ctx;
  const find = (id: string): Webhook => {
    const webhook = store.webhooks.get(id);
    if (!webhook) throw notFound('WebHook', id);
    return webhook;
  };

  router.get('/webhooks', (req, res) => {
    const params = parseListParams(req.query, 'id:asc');
    sendHal(res, 200, halList('webhooks', [...store.webhooks.values()], params, selfHref(ctx, req)));
  });

  router.post('/webhooks/verify', async (req, res) => {
    const body: unknown = req.body;
    if (!isObject(body) || typeof body.version !== 'string' || !isHttpUrl(body.uri)) {
      throw generalError(400, 'invalid_json_object', 'version and an absolute uri are required.');
    }
    if (!(await ctx.dispatcher.verify(body.uri))) {
      throw generalError(400, 'webhook_verification_failed', `The URI ${body.uri} did not answer WEB_HOOK_VERIFY with a 2xx status.`);
    }
    res.status(204).end();
  });

  router.post('/webhooks', (req, res) => {
    const webhook: Webhook = { id: ctx.ids.next(22), ...webhookFields(req.body) };
    store.webhooks.set(webhook.id, webhook);
    ctx.dispatcher.ping(webhook.uri);
    sendHal(res, 200, webhook);
  });

  router.get('/webhooks/:webhookId', (req, res) => sendHal(res, 200, find(req.params.webhookId)));

  router.put('/webhooks/:webhookId', (req, res) => {
    const id = find(req.params.webhookId).id;
    const webhook: Webhook = { id, ...webhookFields(req.body) };
    store.webhooks.set(id, webhook);
    sendHal(res, 200, webhook);
  });

  router.delete('/webhooks/:webhookId', (req, res) => {
    store.webhooks.delete(find(req.params.webhookId).id);
    res.status(204).end();
  });

  return router;
}
