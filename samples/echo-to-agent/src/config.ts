/**
 * The sample's configuration, read from environment variables and validated once at startup.
 * Every problem becomes one line that names the variable and says how to fix it.
 */
import { z } from 'zod';
import { ConfigurationError, loadHandoffConfig, type HandoffConfig } from 'botbuilder-8x8-handoff';

/** Where the sample sends escalations: the embedded emulator, or a real 8x8 Chat Gateway. */
export type GatewayTarget =
  | { kind: 'emulator' }
  | { kind: '8x8'; apiKey: string; channelId: string; queueId: string; tenantId?: string; baseUrl: string };

/** Bot Framework authentication; absent when `MicrosoftAppId` is not set (inbound auth off). */
export interface BotAuthConfig {
  appId: string;
  appPassword: string;
  appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
  tenantId: string;
  /**
   * Where the channel's signing keys are published, from `BotOpenIdMetadata` (botbuilder's own key).
   * Default: the public cloud's. Set it to test auth offline against a local OpenID configuration.
   */
  openIdMetadataUrl?: string;
  /** The same for Bot Framework Emulator tokens, from `ToBotFromEmulatorOpenIdMetadataUrl`. */
  emulatorOpenIdMetadataUrl?: string;
}

/** The sample's resolved configuration. */
export interface SampleConfig {
  /** The bot and chat page port, from `PORT`; default 3978. */
  port: number;
  /** The emulator and agent console port, from `EMULATOR_PORT`; default 3979. */
  emulatorPort: number;
  /**
   * The interface the bot listens on, from `HOST`. Without auth it must be a loopback address
   * (default 127.0.0.1); with auth the default is every interface.
   */
  host?: string;
  gateway: GatewayTarget;
  botAuth?: BotAuthConfig;
  /**
   * Links to agent files served by the bot (the middleware's `fileLinks`), from `FILE_LINKS_BASE_URL`
   * and `FILE_LINKS_SECRET` (both or neither). Absent: the local sample makes its own on its
   * loopback URL; with auth on, small files go inline and larger ones use 8x8's expiring links.
   */
  fileLinks?: { baseUrl: string; secret: string };
  /** The declarative handoff configuration, from the JSON file at `HANDOFF_CONFIG`. */
  handoffConfig?: HandoffConfig;
  /**
   * Serve customers who write on 8x8's own channels (web widget, WhatsApp, ...), from
   * `EIGHTX8_DIGITAL_CHANNELS` (`on` or `off`; default on): signed webhook events of 8x8
   * conversations the sample did not create reach the echo bot through a `ChatGatewayAdapter`.
   */
  digitalChannels: boolean;
  /**
   * The bearer token `/metrics` asks for, from `METRICS_TOKEN` (at least 16 characters). Absent:
   * `/metrics` answers anyone who reaches the bot (with auth on, that is every interface).
   */
  metricsToken?: string;
}

// `.env` files often leave a variable present but empty: treat that as "not set".
const optionalText = z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), z.string().trim().optional());

const port = (fallback: number) =>
  z.preprocess(
    (v) => (v === undefined || (typeof v === 'string' && v.trim() === '') ? String(fallback) : v),
    z.string().regex(/^\d+$/, 'must be a whole number from 0 to 65535').transform(Number).pipe(z.number().max(65535, 'must be a whole number from 0 to 65535')),
  );

const envSchema = z.object({
  PORT: port(3978),
  EMULATOR_PORT: port(3979),
  EIGHTX8_API_KEY: optionalText,
  EIGHTX8_CHANNEL_ID: optionalText,
  EIGHTX8_QUEUE_ID: optionalText,
  EIGHTX8_TENANT: optionalText,
  EIGHTX8_BASE_URL: optionalText.pipe(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://api.8x8.com' }).optional()),
  MicrosoftAppId: optionalText,
  MicrosoftAppPassword: optionalText,
  MicrosoftAppTenantId: optionalText,
  HOST: optionalText,
  HANDOFF_CONFIG: optionalText,
  FILE_LINKS_BASE_URL: optionalText.pipe(z.url({ protocol: /^https?$/, error: 'must be the public http(s) URL of /api/8x8/files, e.g. https://bot.example.com/api/8x8/files' }).optional()),
  FILE_LINKS_SECRET: optionalText.pipe(z.string().min(32, 'must be at least 32 characters (e.g. `openssl rand -base64 32`)').optional()),
  EIGHTX8_DIGITAL_CHANNELS: optionalText.pipe(z.enum(['on', 'off'], { error: 'must be "on" (the default) or "off"' }).optional()),
  METRICS_TOKEN: optionalText.pipe(z.string().min(16, 'must be at least 16 characters (e.g. `openssl rand -hex 32`)').optional()),
  BOT_AUTH_DISABLED: optionalText.pipe(z.literal('local', { error: 'must be "local" (auth off, 127.0.0.1 only) or unset' }).optional()),
  BotOpenIdMetadata: optionalText.pipe(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL of an OpenID configuration' }).optional()),
  ToBotFromEmulatorOpenIdMetadataUrl: optionalText.pipe(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL of an OpenID configuration' }).optional()),
  MicrosoftAppType: optionalText.pipe(
    z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI'], { error: 'must be MultiTenant, SingleTenant or UserAssignedMSI' }).optional(),
  ),
});

type Env = z.infer<typeof envSchema>;

const SETUP_HINT = 'Run `npx botbuilder-8x8-handoff setup` to get the values, or unset EIGHTX8_API_KEY to use the local emulator';

/**
 * Parses the sample's environment.
 * @throws ConfigurationError naming the first missing or malformed variable.
 */
export function parseSampleEnv(env: NodeJS.ProcessEnv): SampleConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue.path[0] ?? 'environment');
    throw new ConfigurationError(name, issue.message.replace(/\.$/, ''), `Fix ${name} and start again`);
  }
  const auth = botAuth(parsed.data);
  return {
    port: parsed.data.PORT, emulatorPort: parsed.data.EMULATOR_PORT, host: listenHost(parsed.data, auth !== undefined),
    gateway: gatewayTarget(parsed.data), botAuth: auth, fileLinks: fileLinks(parsed.data),
    // Validated at startup: every problem in the file is listed with its field and fix.
    handoffConfig: parsed.data.HANDOFF_CONFIG ? loadHandoffConfig(parsed.data.HANDOFF_CONFIG) : undefined,
    digitalChannels: parsed.data.EIGHTX8_DIGITAL_CHANNELS !== 'off',
    metricsToken: parsed.data.METRICS_TOKEN,
  };
}

function fileLinks(env: Env): SampleConfig['fileLinks'] {
  const { FILE_LINKS_BASE_URL: baseUrl, FILE_LINKS_SECRET: secret } = env;
  if (!baseUrl && !secret) return undefined;
  if (!baseUrl) throw new ConfigurationError('FILE_LINKS_BASE_URL', 'is missing but FILE_LINKS_SECRET is set', 'Set it to the public URL of the bot\'s /api/8x8/files route, or unset FILE_LINKS_SECRET');
  if (!secret) throw new ConfigurationError('FILE_LINKS_SECRET', 'is missing but FILE_LINKS_BASE_URL is set', 'Set it to a random string of at least 32 characters (`openssl rand -base64 32`), the same on every instance');
  return { baseUrl, secret };
}

const AUTH_ON_HINT = 'Set MicrosoftAppId and MicrosoftAppPassword (plus MicrosoftAppType and MicrosoftAppTenantId for a single-tenant bot) to turn Bot Framework auth on';

/** True for addresses only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

// RELIABILITY A2: with no MicrosoftAppId botbuilder accepts any request, so anyone who reaches the
// port could speak as a channel. That is only acceptable on loopback.
function listenHost(env: Env, authOn: boolean): string | undefined {
  if (authOn) {
    if (env.BOT_AUTH_DISABLED) throw new ConfigurationError('BOT_AUTH_DISABLED', 'is set but so is MicrosoftAppId', 'Unset BOT_AUTH_DISABLED to keep auth on, or unset MicrosoftAppId for a local sandbox');
    return env.HOST;
  }
  const host = env.HOST ?? '127.0.0.1';
  if (!isLoopbackHost(host)) {
    throw new ConfigurationError('HOST', `is ${host} but Bot Framework auth is off (MicrosoftAppId is not set), so anyone reaching the port could impersonate a channel`, `${AUTH_ON_HINT}, or unset HOST to listen on 127.0.0.1 only`);
  }
  return host;
}

function gatewayTarget(env: Env): GatewayTarget {
  if (!env.EIGHTX8_API_KEY) {
    // Half a configuration is a mistake worth stopping for: silently using the emulator would hide it.
    for (const name of ['EIGHTX8_CHANNEL_ID', 'EIGHTX8_QUEUE_ID', 'EIGHTX8_TENANT', 'EIGHTX8_BASE_URL'] as const) {
      if (env[name]) throw new ConfigurationError(name, 'is set but EIGHTX8_API_KEY is not', 'Set EIGHTX8_API_KEY to talk to 8x8, or unset the EIGHTX8_* variables to use the local emulator');
    }
    return { kind: 'emulator' };
  }
  const channelId = required(env, 'EIGHTX8_CHANNEL_ID');
  const queueId = required(env, 'EIGHTX8_QUEUE_ID');
  return {
    kind: '8x8',
    apiKey: env.EIGHTX8_API_KEY,
    channelId,
    queueId,
    tenantId: env.EIGHTX8_TENANT,
    baseUrl: (env.EIGHTX8_BASE_URL ?? 'https://api.8x8.com').replace(/\/+$/, ''),
  };
}

function required(env: Env, name: 'EIGHTX8_CHANNEL_ID' | 'EIGHTX8_QUEUE_ID'): string {
  const value = env[name];
  if (!value) throw new ConfigurationError(name, 'is missing (EIGHTX8_API_KEY is set, so the sample talks to 8x8)', SETUP_HINT);
  return value;
}

function botAuth(env: Env): BotAuthConfig | undefined {
  if (!env.MicrosoftAppId) {
    for (const name of ['MicrosoftAppPassword', 'MicrosoftAppTenantId', 'BotOpenIdMetadata', 'ToBotFromEmulatorOpenIdMetadataUrl'] as const) {
      if (env[name]) throw new ConfigurationError(name, 'is set but MicrosoftAppId is not', 'Set MicrosoftAppId as well, or unset it to run without Bot Framework auth');
    }
    return undefined;
  }
  const appType = env.MicrosoftAppType ?? 'MultiTenant';
  if (appType !== 'UserAssignedMSI' && !env.MicrosoftAppPassword) {
    throw new ConfigurationError('MicrosoftAppPassword', `is missing (MicrosoftAppId is set and MicrosoftAppType is ${appType})`, 'Set it to the bot registration\'s client secret');
  }
  if (appType !== 'MultiTenant' && !env.MicrosoftAppTenantId) {
    throw new ConfigurationError('MicrosoftAppTenantId', `is missing (MicrosoftAppType is ${appType})`, 'Set it to your Microsoft Entra tenant id');
  }
  return {
    appId: env.MicrosoftAppId, appPassword: env.MicrosoftAppPassword ?? '', appType, tenantId: env.MicrosoftAppTenantId ?? '',
    openIdMetadataUrl: env.BotOpenIdMetadata, emulatorOpenIdMetadataUrl: env.ToBotFromEmulatorOpenIdMetadataUrl,
  };
}
