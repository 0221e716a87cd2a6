/**
 * The one place an axios failure becomes a Chat Gateway error. Only status, headers, body and the
 * low-level code are read from the axios error; the error itself (which holds the request config,
 * api key included) is dropped here.
 */
import { isAxiosError } from 'axios';
import { HandoffError } from '../errors';
import {
  ChatGatewayApiError, ChatGatewayNetworkError, ChatGatewayThrottledError,
  type GatewayCallInfo, type GatewayNetworkErrorKind,
} from './errors';
import { parseRetryAfter } from './retry';

/** What the caller knows about the failed call beyond the error itself. */
export interface FailureContext extends GatewayCallInfo {
  /** The total deadline fired. */
  deadlineHit: boolean;
  /** The response cap, for a readable message when it was exceeded. */
  maxResponseBytes: number;
  /** The deadline in ms, for the message. */
  deadlineMs: number;
  now: number;
}

const KIND_BY_CODE: Record<string, GatewayNetworkErrorKind> = {
  ECONNABORTED: 'timeout',
  ETIMEDOUT: 'timeout',
  ERR_SOCKET_CONNECTION_TIMEOUT: 'timeout',
  ECONNREFUSED: 'refused',
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  ENOTFOUND: 'dns',
  EAI_AGAIN: 'dns',
};

/** Maps any failure of a call to {@link ChatGatewayApiError} (or its throttled subclass) or {@link ChatGatewayNetworkError}. */
export function toGatewayError(error: unknown, ctx: FailureContext): HandoffError {
  if (error instanceof HandoffError) return error;
  const call = { method: ctx.method, path: ctx.path };
  if (ctx.deadlineHit) {
    return new ChatGatewayNetworkError('deadline', call, `no answer within the ${ctx.deadlineMs} ms deadline`);
  }
  if (!isAxiosError(error)) {
    return new ChatGatewayNetworkError('other', call, error instanceof Error ? error.name : 'unknown failure');
  }
  const response = error.response;
  if (response) {
    const retryAfter = headerString(response.headers?.['retry-after']);
    if (response.status === 429 || (response.status === 503 && retryAfter !== undefined)) {
      return new ChatGatewayThrottledError(response.status, call, response.data, parseRetryAfter(retryAfter, ctx.now));
    }
    return new ChatGatewayApiError(response.status, call, response.data);
  }
  const code = error.code ?? (error.cause as { code?: string } | undefined)?.code;
  if (typeof error.message === 'string' && error.message.startsWith('maxContentLength size')) {
    return new ChatGatewayNetworkError('other', call, `response larger than maxResponseBytes (${ctx.maxResponseBytes} bytes)`, code);
  }
  const kind = (code && KIND_BY_CODE[code]) || 'other';
  return new ChatGatewayNetworkError(kind, call, describe(kind, code), code);
}

function describe(kind: GatewayNetworkErrorKind, code: string | undefined): string {
  const what: Record<GatewayNetworkErrorKind, string> = {
    timeout: 'the attempt timed out',
    refused: 'connection refused',
    reset: 'connection reset before a response arrived (the request may have been processed)',
    dns: 'the host name could not be resolved',
    deadline: 'deadline exceeded',
    other: 'request failed',
  };
  return code ? `${what[kind]} [${code}]` : what[kind];
}

/** Reads a header that axios may give as string, number or array. */
export function headerString(value: unknown): string | undefined {
  if (Array.isArray(value)) return headerString(value[0]);
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}
