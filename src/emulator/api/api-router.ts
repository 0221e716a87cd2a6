/**
 * The Chat Gateway API under `/chat-gateway/v1`: injected faults first, then the JWK endpoint
 * (no auth), then `x-api-key` (401) and `X-8x8-Tenant` (403) checks, the JSON body parser, the
 * routes, and one error handler that writes 8x8's problem bodies.
 */
import express, { Router, type ErrorRequestHandler, type RequestHandler } from 'express';
import { takeApiFault } from '../faults';
import type { SigningKey } from '../delivery/signing-key';
import { attachmentRoutes } from './attachment-routes';
import { channelRoutes } from './channel-routes';
import type { ApiContext } from './context';
import { conversationRoutes } from './conversation-routes';
import { messageRoutes } from './message-routes';
import { ApiProblem, badMessage, faultProblem, forbidden, generalError, notFound, unauthorized } from './problems';
import { webhookRoutes } from './webhook-routes';

/** Operations whose 403 uses the general shape instead of string errors. */
const GENERAL_403 = [/^\/channels$/, /^\/conversations\/[^/]+\/attachments$/];

function faultsMiddleware(ctx: ApiContext): RequestHandler {
  return (req, res, next) => {
    const faults = ctx.options.faults;
    const holdResponse = faults.apiResponseDelayMs ?? 0;
    if (holdResponse > 0) {
      const end = res.end.bind(res) as (...args: unknown[]) => unknown;
      res.end = ((...args: unknown[]) => {
        setTimeout(() => end(...args), holdResponse);
        return res;
      }) as typeof res.end;
    }
    const fault = takeApiFault(faults, req.method, req.baseUrl + req.path);
    const delay = faults.apiDelayMs ?? 0;
    const go = () => next(fault ? faultProblem(fault.status, ctx.options.customerId, fault.headers) : undefined);
    if (delay > 0) setTimeout(go, delay);
    else go();
  };
}

function authMiddleware(ctx: ApiContext): RequestHandler {
  return (req, _res, next) => {
    if (req.get('x-api-key') !== ctx.options.apiKey) return next(unauthorized());
    const tenant = req.get('x-8x8-tenant');
    if (tenant !== undefined && tenant !== ctx.options.tenantId) {
      const problem = forbidden(ctx.options.customerId);
      if (req.method === 'POST' && GENERAL_403.some((re) => re.test(req.path))) {
        return next(generalError(403, 'forbidden', String((problem.body.errors as string[])[0])));
      }
      return next(problem);
    }
    next();
  };
}

function jwkRoute(key: SigningKey): RequestHandler {
  return (req, res, next) => {
    if (req.params.jwkId !== key.kid) return next(notFound('JWK', String(req.params.jwkId)));
    res.status(200).type('application/json').send(JSON.stringify(key.publicJwk));
  };
}

const errorHandler: ErrorRequestHandler = (err: unknown, req, res, _next) => {
  let problem: ApiProblem;
  if (err instanceof ApiProblem) problem = err;
  else if ((err as { type?: string }).type === 'entity.parse.failed') {
    // Send message answers 400 with its own single-object shape.
    problem = req.method === 'POST' && /\/messages$/.test(req.path) ? badMessage('Malformed JSON body.') : generalError(400, 'invalid_json', 'Malformed JSON body.');
  } else if ((err as { status?: number }).status === 413) problem = generalError(413, 'payload_too_large', 'The request body is too large.');
  else problem = generalError(500, 'internal_error', 'Internal error.');
  res.status(problem.status).set(problem.headers).type('application/problem+json').send(JSON.stringify(problem.body));
};

/** Builds the `/chat-gateway/v1` router. */
export function apiRouter(ctx: ApiContext, key: SigningKey): Router {
  const router = Router();
  router.use(faultsMiddleware(ctx));
  router.get('/jwk/:jwkId/public', jwkRoute(key));
  router.use(authMiddleware(ctx));
  router.use(express.json({ limit: '2mb', type: ['application/json', 'application/*+json'] }));
  router.use(webhookRoutes(ctx), channelRoutes(ctx), conversationRoutes(ctx), messageRoutes(ctx), attachmentRoutes(ctx));
  router.use((req, _res, next) => next(generalError(404, 'not_found', `No operation ${req.method} ${req.baseUrl}${req.path}.`)));
  router.use(errorHandler);
  return router;
}
