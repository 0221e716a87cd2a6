/**
 * Floor: one `axios.post` of a message body to the same stand-in 8x8 endpoint the middleware's
 * `ChatGatewayClient` calls. No retries, no circuit breaker, no conversion of the activity.
 */
import http from 'node:http';
import axios, { type AxiosInstance } from 'axios';

/** An axios instance on a keep-alive agent, as the gateway client uses. */
export function bareAxios(): AxiosInstance {
  return axios.create({ httpAgent: new http.Agent({ keepAlive: true }), timeout: 10_000 });
}

/** The floor operation: POST the text as 8x8's message body. */
export async function bareAxiosPost(client: AxiosInstance, url: string, text: string): Promise<void> {
  await client.post(url, { authorType: 'user', text }, { headers: { 'x-api-key': 'bench' } });
}
