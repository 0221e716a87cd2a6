/**
 * The environment lines `setup` prints for the user to paste into the bot's environment.
 */

/** The values behind the lines. */
export interface EnvValues {
  apiKey: string;
  channelId: string;
  queueId: string;
  tenant?: string;
  baseUrl: string;
}

/**
 * Hides most of a secret: the first 4 and last 2 characters stay so people can tell keys apart;
 * keys shorter than 12 characters are hidden completely.
 */
export function maskSecret(secret: string): string {
  if (secret.length < 12) return '*'.repeat(secret.length);
  return `${secret.slice(0, 4)}${'*'.repeat(secret.length - 6)}${secret.slice(-2)}`;
}

/** The lines to paste; the key is masked unless `showKey`. */
export function formatEnvLines(values: EnvValues, showKey: boolean): string[] {
  const lines = ['# Paste into your bot\'s environment (.env):'];
  if (!showKey) lines.push('# (the API key is masked: run with --show-key to print it, or paste your own)');
  lines.push(
    `EIGHTX8_API_KEY=${showKey ? values.apiKey : maskSecret(values.apiKey)}`,
    `EIGHTX8_CHANNEL_ID=${values.channelId}`,
    `EIGHTX8_QUEUE_ID=${values.queueId}`,
    values.tenant ? `EIGHTX8_TENANT=${values.tenant}` : '# EIGHTX8_TENANT= (only needed when your organisation has several tenants)',
    `EIGHTX8_BASE_URL=${values.baseUrl}`,
  );
  return lines;
}
