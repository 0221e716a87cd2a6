/**
 * Errors shaped exactly like the ones botbuilder's connector client throws when a send finally
 * fails: `RestError` from `@azure/core-rest-pipeline` (under `botframework-connector`), with
 * `statusCode` and a `response` carrying `status` and the headers.
 */
import { createHttpHeaders, createPipelineRequest, RestError } from '@azure/core-rest-pipeline';

/** The connector answered `status` (with `headers`, e.g. `{ 'retry-after': '1' }`). */
export function connectorError(status: number, headers: Record<string, string> = {}): RestError {
  const request = createPipelineRequest({ url: 'https://smba.trafficmanager.net/v3/conversations/c/activities', method: 'POST' });
  return new RestError(`connector answered ${status}`, { statusCode: status, request, response: { status, headers: createHttpHeaders(headers), request } });
}

/** The connector could not be reached (what is left after botbuilder's own retries of ECONNRESET). */
export function networkError(): RestError {
  return new RestError('read ECONNRESET', { code: RestError.REQUEST_SEND_ERROR });
}
