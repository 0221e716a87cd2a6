/**
 * The contact-center APIs beside the Chat Gateway, in the forms the availability adapters use
 * (`../shared/8x8/SCHEDULE-AND-STATS.md`): the Tenant Schedule status (vcc Basic form and the
 * `/cc/v1` key form), the OAuth client-credentials token, and the real-time queue metrics. The
 * schedule's answer is this emulator's reading: status `0` open, `-1` closed.
 */
import { randomUUID } from 'node:crypto';
import express, { Router, type RequestHandler } from 'express';
import type { ContactCenter } from './state';

/** Credentials the emulator accepts for these APIs. */
export interface ContactCenterCredentials {
  /** Tenant name (Basic user, `X-8x8-Tenant`). */
  tenantId: string;
  /** The Chat Gateway API key, also accepted as the `/cc/v1` key and the OAuth client id. */
  apiKey: string;
}

/** The Data Request Token and OAuth secret the emulator accepts. */
export const EMULATOR_DATA_REQUEST_TOKEN = 'emulator-data-request-token';
/** The API secret the emulator's OAuth endpoint accepts with the API key. */
export const EMULATOR_API_SECRET = 'emulator-api-secret';

const TOKEN_LIFETIME_S = 1800;

/** Routes for `/api/provisioning/...`, `/cc/v1/...`, `/oauth/v2/token` and `/analytics/cc/v5/realtime-metrics/...`. */
export function contactCenterRoutes(center: ContactCenter, creds: ContactCenterCredentials, clock: () => number): Router {
  const router = Router();
  const tokens = new Map<string, number>();
  const status = () => ({ 'schedule-status': { status: center.isOpen() ? 0 : -1 } });

  const basic: RequestHandler = (req, res, next) => {
    const expected = `Basic ${Buffer.from(`${creds.tenantId}:${EMULATOR_DATA_REQUEST_TOKEN}`).toString('base64')}`;
    if (req.get('authorization') !== expected) return void res.status(401).json({ error: 'Unauthorized' });
    next();
  };
  const apiKey: RequestHandler = (req, res, next) => {
    if (req.get('x-api-key') !== creds.apiKey) return void res.status(401).json({ message: 'Access Denied' });
    next();
  };
  const bearer: RequestHandler = (req, res, next) => {
    const token = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1];
    const until = token ? tokens.get(token) : undefined;
    if (until === undefined || until <= clock()) return void res.status(401).json({ message: 'Invalid or expired token' });
    next();
  };

  router.get(['/api/provisioning/schedules/:id/status', '/api/provisioning/schedules/:id/status.json'], basic, (_req, res) => void res.json(status()));
  router.get('/cc/v1/schedules/:id/status', apiKey, (_req, res) => void res.json(status()));

  router.post('/oauth/v2/token', express.urlencoded({ extended: false }), (req, res) => {
    const expected = `Basic ${Buffer.from(`${creds.apiKey}:${EMULATOR_API_SECRET}`).toString('base64')}`;
    if (req.get('authorization') !== expected || req.body?.grant_type !== 'client_credentials') return void res.status(401).json({ error: 'invalid_client' });
    const token = randomUUID();
    tokens.set(token, clock() + TOKEN_LIFETIME_S * 1000);
    res.json({ access_token: token, token_type: 'Bearer', expires_in: String(TOKEN_LIFETIME_S), issued_at: clock(), api_product_list: '[analytics realtime-api, chat-gateway]' });
  });

  router.get('/analytics/cc/v5/realtime-metrics/queues/:id', bearer, (req, res) => {
    const id = String(req.params.id);
    const figures = center.figures(id);
    if (!figures) return void res.status(404).json({ message: `Queue ${id} not found` });
    // The guide's form: a one-element array of { id, name, metrics: [{ key, value }] }.
    res.json([{ id, metrics: Object.entries(figures).map(([key, value]) => ({ key, value })) }]);
  });
  return router;
}
