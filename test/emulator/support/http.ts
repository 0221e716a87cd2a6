/**
 * Raw HTTP helpers for the emulator suites: one call with the api key, and the response as the
 * contract checker wants it (status, parsed body, content type).
 */
import type { Emulator } from '../../../src/emulator';

/** A response, body parsed when JSON. */
export interface RawResponse {
  status: number;
  body: unknown;
  text: string;
  contentType: string;
  headers: Headers;
}

/** Options of {@link call}. */
export interface CallOptions {
  body?: unknown;
  /** Sent as is (multipart bodies). */
  form?: FormData;
  headers?: Record<string, string>;
  /** Default: the emulator's default key; `null` sends none. */
  apiKey?: string | null;
}

/** Calls the emulator's API at `path` (relative to `/chat-gateway/v1` unless it starts with `/`). */
export async function call(emulator: Emulator, method: string, path: string, options: CallOptions = {}): Promise<RawResponse> {
  const url = path.startsWith('/') ? `${emulator.url}${path}` : `${emulator.url}/chat-gateway/v1/${path}`;
  const headers: Record<string, string> = { ...options.headers };
  if (options.apiKey !== null) headers['x-api-key'] = options.apiKey ?? 'emulator-api-key';
  let body: string | FormData | undefined;
  if (options.form) body = options.form;
  else if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(url, { method, headers, body });
  const text = await res.text();
  const contentType = res.headers.get('content-type') ?? '';
  let parsed: unknown = text === '' ? undefined : text;
  if (/json/.test(contentType) && text) parsed = JSON.parse(text);
  return { status: res.status, body: parsed, text, contentType, headers: res.headers };
}

/** The path part of a call path, for the contract checker. */
export function apiPath(path: string): string {
  return path.startsWith('/') ? path.split('?')[0]! : `/chat-gateway/v1/${path.split('?')[0]}`;
}
