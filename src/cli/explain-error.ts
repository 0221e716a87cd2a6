/**
 * Turns a failure from 8x8 (or from reaching it) into plain words and the next thing to try.
 */
import { ChatGatewayApiError, ChatGatewayNetworkError } from '../gateway/errors';

/** What the explanation may refer to. */
export interface ExplainContext {
  baseUrl: string;
  tenant?: string;
}

/** Explains `err` in one or two lines for a person at a terminal. */
export function explainSetupError(err: unknown, context: ExplainContext): string[] {
  if (err instanceof ChatGatewayApiError) return withReference(explainApiError(err, context), err.referenceId);
  if (err instanceof ChatGatewayNetworkError) {
    return [
      `Could not reach the Chat Gateway at ${context.baseUrl} (${err.kind}${err.errno ? `, ${err.errno}` : ''}).`,
      'Check --base-url (default https://api.8x8.com), your network and any proxy.',
    ];
  }
  return [`Setup failed: ${err instanceof Error ? err.message : String(err)}`];
}

function explainApiError(err: ChatGatewayApiError, context: ExplainContext): string[] {
  const said = details(err);
  switch (err.status) {
    case 401:
      return [
        '8x8 rejected the API key (401 Unauthorized).',
        'Use a key whose app has the "Chat Gateway" API product: 8x8 Admin Console > API Keys > your app > Products.',
      ];
    case 403:
      if (/tenant/i.test(said)) {
        return [
          `8x8 says the tenant does not match this key (403): ${said}`,
          context.tenant
            ? `Check --tenant ${context.tenant}: it must be a Contact Center tenant of the organisation that owns the key.`
            : 'Your organisation has more than one Contact Center tenant: pass --tenant <tenantId>.',
        ];
      }
      return [`8x8 refused the request (403 Forbidden): ${said}`, 'Check that the key belongs to the organisation that owns the queue and channel.'];
    case 400:
      return [`8x8 rejected the request (400 Bad Request) on ${err.method} ${err.path}: ${said}`];
    case 404:
      return [`8x8 could not find a resource (404) on ${err.method} ${err.path}: ${said}`];
    default:
      if (err.status >= 500) {
        return [`8x8 had a server error (${err.status}) on ${err.method} ${err.path}: ${said}`, 'Try again in a minute; if it persists, contact 8x8 support.'];
      }
      return [`8x8 answered ${err.status} on ${err.method} ${err.path}: ${said}`];
  }
}

/** 8x8's own words: the top message and every detail, deduplicated. */
function details(err: ChatGatewayApiError): string {
  const body = err.body as { message?: unknown } | undefined;
  const top = typeof body?.message === 'string' ? [body.message] : [];
  const parts = [...top, ...err.errors.map((e) => e.message)].filter((m, i, all) => m && all.indexOf(m) === i);
  return parts.length > 0 ? parts.join(' ') : 'no details given';
}

function withReference(lines: string[], referenceId: string | undefined): string[] {
  return referenceId ? [...lines, `8x8 reference id (quote it to 8x8 support): ${referenceId}`] : lines;
}
