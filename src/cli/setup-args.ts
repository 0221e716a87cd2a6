/**
 * The `setup` command's arguments: flags first, then environment variables, then (in a terminal)
 * prompts. Parsing is pure so usage errors are testable without a process.
 */
import { parseArgs } from 'node:util';

/** Everything `setup` needs, resolved. */
export interface SetupArgs {
  /** The 8x8 API key (with the Chat Gateway product). */
  apiKey: string;
  /** The bot's public webhook URL, e.g. `https://bot.example.com/api/8x8/webhook`. */
  webhookUrl: string;
  /** The chat queue escalations go to. */
  queueId: string;
  /** `X-8x8-Tenant`, for organisations with several Contact Center tenants. */
  tenant?: string;
  /** Chat Gateway base URL. Default `https://api.8x8.com`. */
  baseUrl: string;
  /** Name of the webhook and channel created. Default `botbuilder-8x8-handoff`. */
  name: string;
  /** Show what would be done, without creating anything. */
  dryRun: boolean;
  /** Print the API key unmasked in the environment lines. */
  showKey: boolean;
}

/** The values that can be prompted for when missing. */
export type PromptableField = 'apiKey' | 'webhookUrl' | 'queueId';

/** Parsed command line: complete args, a request for help, or a usage error. */
export type ParsedCommand =
  | { kind: 'setup'; args: Partial<SetupArgs> & Omit<SetupArgs, PromptableField>; missing: PromptableField[] }
  | { kind: 'help' }
  | { kind: 'usage-error'; message: string };

/** The help text. */
export const USAGE = `Usage: botbuilder-8x8-handoff setup [options]

Creates (or reuses) the 8x8 Chat Gateway webhook and Chat API channel for your bot, verifies the
webhook, and prints the environment variables to paste.

Options:
  --api-key <key>       8x8 API key with the Chat Gateway product (or EIGHTX8_API_KEY)
  --webhook-url <url>   your bot's public webhook URL, e.g. https://bot.example.com/api/8x8/webhook
  --queue-id <id>       the chat queue escalations go to (or EIGHTX8_QUEUE_ID)
  --tenant <id>         X-8x8-Tenant, when your organisation has several tenants (or EIGHTX8_TENANT)
  --base-url <url>      Chat Gateway base URL (or EIGHTX8_BASE_URL; default https://api.8x8.com)
  --name <name>         name of the webhook and channel to create (default botbuilder-8x8-handoff)
  --dry-run             show what would be done without creating anything
  --show-key            print the API key unmasked
  -h, --help            show this help

Missing values are asked for when run in a terminal.
Exit codes: 0 done, 1 an error from 8x8 or the network, 2 bad usage.`;

const FLAG_NAMES: Record<PromptableField, string> = { apiKey: '--api-key', webhookUrl: '--webhook-url', queueId: '--queue-id' };

/** Parses `argv` (without node and the script) with `env` as the fallback for some flags. */
export function parseSetupCommand(argv: string[], env: NodeJS.ProcessEnv = {}): ParsedCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        'api-key': { type: 'string' }, 'webhook-url': { type: 'string' }, 'queue-id': { type: 'string' },
        tenant: { type: 'string' }, 'base-url': { type: 'string' }, name: { type: 'string' },
        'dry-run': { type: 'boolean' }, 'show-key': { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    return { kind: 'usage-error', message: (err as Error).message };
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help' };
  if (positionals[0] !== 'setup' || positionals.length > 1) {
    const got = positionals.length === 0 ? 'no command' : `\`${positionals.join(' ')}\``;
    return { kind: 'usage-error', message: `Expected the command \`setup\`, got ${got}` };
  }
  const pick = (flag: string | undefined, envName: string) => nonEmpty(flag) ?? nonEmpty(env[envName]);
  const args = {
    apiKey: pick(values['api-key'], 'EIGHTX8_API_KEY'),
    webhookUrl: nonEmpty(values['webhook-url']),
    queueId: pick(values['queue-id'], 'EIGHTX8_QUEUE_ID'),
    tenant: pick(values.tenant, 'EIGHTX8_TENANT'),
    baseUrl: (pick(values['base-url'], 'EIGHTX8_BASE_URL') ?? 'https://api.8x8.com').replace(/\/+$/, ''),
    name: nonEmpty(values.name) ?? 'botbuilder-8x8-handoff',
    dryRun: values['dry-run'] === true,
    showKey: values['show-key'] === true,
  };
  const problem = checkUrl('--base-url', args.baseUrl) ?? (args.webhookUrl === undefined ? undefined : checkUrl('--webhook-url', args.webhookUrl));
  if (problem) return { kind: 'usage-error', message: problem };
  const missing = (Object.keys(FLAG_NAMES) as PromptableField[]).filter((field) => args[field] === undefined);
  return { kind: 'setup', args, missing };
}

/** Checks a value typed at a prompt; returns a problem or undefined. */
export function checkPromptedValue(field: PromptableField, value: string): string | undefined {
  if (value.trim() === '') return `${FLAG_NAMES[field]} cannot be empty`;
  return field === 'webhookUrl' ? checkUrl(FLAG_NAMES[field], value.trim()) : undefined;
}

/** The flag that provides a field, for messages. */
export function flagOf(field: PromptableField): string {
  return FLAG_NAMES[field];
}

function checkUrl(flag: string, value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `${flag} must be an absolute http(s) URL, got \`${value}\``;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? undefined : `${flag} must be an http(s) URL, got \`${value}\``;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
