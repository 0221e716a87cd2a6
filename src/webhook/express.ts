/**
 * The express 5 adapter of {@link WebhookReceiver}: it reads the raw body itself, enforcing the
 * byte limit while reading, and only moves bytes and status codes.
 *
 * Mount it before any global body parser, or at least on a path `express.json()` does not cover:
 * ```ts
 * app.post('/api/8x8/webhook', expressWebhook(receiver));
 * app.use(express.json());
 * ```
 * If a parser already consumed the stream, the handler uses, in this order: a raw body saved by
 * the parser's `verify` option (`express.json({ verify: (req, _res, buf) => { req.rawBody = buf } })`),
 * a Buffer or string body (`express.raw()`, `express.text()`), or, for a body `express.json()`
 * parsed, its compact re-serialisation, with a warning logged once. The signature is still
 * checked, so nothing unsigned gets through; but 8x8 signs its exact bytes, and a body whose
 * bytes differ from `JSON.stringify(JSON.parse(bytes))` (spacing, escapes, number forms) is then
 * refused with 401: mount the route before the parser for exact verification. Only a consumed
 * stream with no body left gives 500 `webhook_body_already_parsed`.
 *
 * The request and response are typed structurally (node's own `IncomingMessage`/`ServerResponse`
 * plus the fields express adds), so the published declarations never import express: a bot
 * compiles against them whatever express typings it has, or none. The handler uses only node's
 * response API, so it also works as a plain `http.createServer` handler.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../logger';
import type { WebhookReceiver } from './receiver';

/** Options of {@link expressWebhook}. */
export interface ExpressWebhookOptions {
  /** Where a misconfigured route is reported (`warn` is optional). Default: `console`. */
  logger?: Pick<Logger, 'error'> & Partial<Pick<Logger, 'warn'>>;
}

/**
 * What the handler reads from a request: node's `IncomingMessage`, plus what express (or a body
 * parser) may have added. An express `Request` is one.
 */
export interface WebhookHttpRequest extends IncomingMessage {
  /** A body a parser already read (`express.json()`, `express.raw()`, `express.text()`). */
  body?: unknown;
  /** Raw bytes saved by a parser's `verify` option. */
  rawBody?: unknown;
  /** The request path (express); used only in log entries. */
  path?: string;
}

/**
 * The handler {@link expressWebhook} returns: an express 5 route handler, typed without express.
 * It always answers, so it never calls `next`.
 */
export type WebhookHttpHandler = (req: WebhookHttpRequest, res: ServerResponse, next?: (error?: unknown) => void) => Promise<void>;

class BodyTooLarge extends Error {}

function readRawBody(req: WebhookHttpRequest, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) return reject(new BodyTooLarge());
    const chunks: Buffer[] = [];
    let size = 0;
    // Plain listeners, not for-await: leaving a for-await early destroys the socket, and the
    // client would never see the 413.
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      cleanup();
      reject(new BodyTooLarge());
    };
    const onEnd = (): void => {
      cleanup();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(error);
    };
    const onClose = (): void => onError(new Error('request closed before its body was read'));
    function cleanup(): void {
      req.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
    }
    req.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  });
}

function savedRawBody(req: WebhookHttpRequest): Buffer | undefined {
  const saved = req.rawBody;
  return Buffer.isBuffer(saved) ? saved : undefined;
}

/** The bytes of a body a parser already read, and whether they are exact. */
function consumedBody(req: WebhookHttpRequest): { bytes: Buffer; exact: boolean } | undefined {
  const body: unknown = req.body;
  if (Buffer.isBuffer(body)) return { bytes: body, exact: true };
  if (typeof body === 'string') return { bytes: Buffer.from(body, 'utf8'), exact: true };
  if (typeof body === 'object' && body !== null) return { bytes: Buffer.from(JSON.stringify(body), 'utf8'), exact: false };
  return undefined;
}

function send(res: ServerResponse, status: number, body: object, close = false): void {
  if (res.headersSent || res.destroyed) return;
  if (close) res.setHeader('connection', 'close');
  const bytes = Buffer.from(JSON.stringify(body), 'utf8');
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', bytes.length);
  res.end(bytes);
}

/**
 * Wraps a {@link WebhookReceiver} as an express 5 handler: `app.post(path, expressWebhook(receiver))`.
 * Answers 413 as soon as the body (declared or streamed) exceeds `receiver.maxBodyBytes`.
 */
export function expressWebhook(receiver: WebhookReceiver, options: ExpressWebhookOptions = {}): WebhookHttpHandler {
  const logger: Pick<Logger, 'error'> & Partial<Pick<Logger, 'warn'>> = options.logger ?? {
    error: (obj: object, msg?: string) => console.error(msg, obj),
    warn: (obj: object, msg?: string) => console.warn(msg, obj),
  };
  let warned = false;
  return async (req, res) => {
    let rawBody = savedRawBody(req);
    if (!rawBody && (req.readableEnded || req.body !== undefined)) {
      const consumed = consumedBody(req);
      if (!consumed) {
        logger.error(
          { path: req.path ?? req.url },
          'The 8x8 webhook route received a body some parser already consumed. Mount it before express.json() (or any body parser), ' +
            'or save the raw bytes with express.json({ verify: (req, _res, buf) => { req.rawBody = buf } }).',
        );
        send(res, 500, { ok: false, error: 'webhook_body_already_parsed' });
        return;
      }
      if (!consumed.exact && !warned) {
        warned = true;
        logger.warn?.(
          { path: req.path ?? req.url },
          'The 8x8 webhook route got a body already parsed by express.json(); its signature is checked over the re-serialised JSON, ' +
            'which fails for bodies 8x8 did not send in compact form. Mount the route before express.json() for exact verification.',
        );
      }
      rawBody = consumed.bytes;
    }
    if (!rawBody) {
      try {
        rawBody = await readRawBody(req, receiver.maxBodyBytes);
      } catch (error) {
        if (error instanceof BodyTooLarge) {
          // Let the client finish sending (discarded) so it can read the answer, then close.
          req.resume();
          send(res, 413, { ok: false, error: 'payload_too_large' }, true);
        }
        return; // Otherwise the client went away mid-body: nobody is left to answer.
      }
    }
    const { status, body } = await receiver.handle({ headers: req.headers, rawBody });
    send(res, status, body);
  };
}
