import { ConfigurationError } from '../../src/errors';
import { parseSampleEnv } from '../../samples/echo-to-agent/src/config';

/** Runs the parser and returns the one line a user would see. */
function errorLine(env: NodeJS.ProcessEnv): string {
  try {
    parseSampleEnv(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigurationError);
    expect((err as Error).message).not.toContain('\n');
    return (err as Error).message;
  }
  throw new Error('expected parseSampleEnv to throw');
}

const REAL_8X8 = { EIGHTX8_API_KEY: 'key-123', EIGHTX8_CHANNEL_ID: 'ch-1', EIGHTX8_QUEUE_ID: 'q-1' };

describe('#parseSampleEnv()', () => {
  it('should use the emulator, ports 3978/3979 and no bot auth when nothing is set', () => {
    expect(parseSampleEnv({})).toEqual({ port: 3978, emulatorPort: 3979, host: '127.0.0.1', gateway: { kind: 'emulator' }, botAuth: undefined, digitalChannels: true });
  });

  it('should serve 8x8 channel customers unless EIGHTX8_DIGITAL_CHANNELS is off', () => {
    expect(parseSampleEnv({ EIGHTX8_DIGITAL_CHANNELS: 'on' }).digitalChannels).toBe(true);
    expect(parseSampleEnv({ EIGHTX8_DIGITAL_CHANNELS: ' ' }).digitalChannels).toBe(true);
    expect(parseSampleEnv({ EIGHTX8_DIGITAL_CHANNELS: 'off' }).digitalChannels).toBe(false);
    expect(errorLine({ EIGHTX8_DIGITAL_CHANNELS: 'no' })).toContain('EIGHTX8_DIGITAL_CHANNELS');
    expect(errorLine({ EIGHTX8_DIGITAL_CHANNELS: 'no' })).toContain('must be "on" (the default) or "off"');
  });

  it('should treat empty variables as not set when a .env file leaves them blank', () => {
    expect(parseSampleEnv({ EIGHTX8_API_KEY: '', PORT: ' ', MicrosoftAppId: '' }).gateway).toEqual({ kind: 'emulator' });
  });

  it('should read the ports when PORT and EMULATOR_PORT are set', () => {
    expect(parseSampleEnv({ PORT: '8080', EMULATOR_PORT: '0' })).toMatchObject({ port: 8080, emulatorPort: 0 });
  });

  it('should target 8x8 with the default base URL when the three 8x8 variables are set', () => {
    expect(parseSampleEnv(REAL_8X8).gateway).toEqual({
      kind: '8x8', apiKey: 'key-123', channelId: 'ch-1', queueId: 'q-1', tenantId: undefined, baseUrl: 'https://api.8x8.com',
    });
  });

  it('should keep the tenant and strip a trailing slash when EIGHTX8_TENANT and EIGHTX8_BASE_URL are set', () => {
    const config = parseSampleEnv({ ...REAL_8X8, EIGHTX8_TENANT: 'acme', EIGHTX8_BASE_URL: 'http://127.0.0.1:9000/' });
    expect(config.gateway).toMatchObject({ tenantId: 'acme', baseUrl: 'http://127.0.0.1:9000' });
  });

  it.each([
    ['EIGHTX8_CHANNEL_ID', { EIGHTX8_API_KEY: 'k', EIGHTX8_QUEUE_ID: 'q' }],
    ['EIGHTX8_QUEUE_ID', { EIGHTX8_API_KEY: 'k', EIGHTX8_CHANNEL_ID: 'c' }],
  ])('should name %s when it is missing and EIGHTX8_API_KEY is set', (name, env) => {
    expect(errorLine(env)).toMatch(new RegExp(`\`${name}\`: is missing`));
  });

  it('should name EIGHTX8_CHANNEL_ID when it is set without an API key', () => {
    expect(errorLine({ EIGHTX8_CHANNEL_ID: 'c' })).toMatch(/`EIGHTX8_CHANNEL_ID`: is set but EIGHTX8_API_KEY is not/);
  });

  it.each([
    ['PORT', { PORT: 'abc' }, /whole number/],
    ['PORT', { PORT: '70000' }, /whole number/],
    ['EMULATOR_PORT', { EMULATOR_PORT: '-1' }, /whole number/],
    ['EIGHTX8_BASE_URL', { ...REAL_8X8, EIGHTX8_BASE_URL: 'api.8x8.com' }, /http\(s\) URL/],
    ['EIGHTX8_BASE_URL', { ...REAL_8X8, EIGHTX8_BASE_URL: 'ftp://api.8x8.com' }, /http\(s\) URL/],
    ['MicrosoftAppType', { MicrosoftAppId: 'a', MicrosoftAppPassword: 'p', MicrosoftAppType: 'Single' }, /MultiTenant, SingleTenant or UserAssignedMSI/],
  ])('should name %s when its value is malformed (case %#)', (name, env, problem) => {
    const line = errorLine(env);
    expect(line).toContain(`\`${name}\``);
    expect(line).toMatch(problem);
  });

  it('should configure MultiTenant bot auth when MicrosoftAppId and MicrosoftAppPassword are set', () => {
    expect(parseSampleEnv({ MicrosoftAppId: 'app', MicrosoftAppPassword: 'secret' }).botAuth).toEqual({
      appId: 'app', appPassword: 'secret', appType: 'MultiTenant', tenantId: '',
    });
  });

  it('should name MicrosoftAppPassword when the app id is set without it', () => {
    expect(errorLine({ MicrosoftAppId: 'app' })).toContain('`MicrosoftAppPassword`: is missing');
  });

  it('should name MicrosoftAppTenantId when a SingleTenant app has no tenant', () => {
    expect(errorLine({ MicrosoftAppId: 'app', MicrosoftAppPassword: 's', MicrosoftAppType: 'SingleTenant' })).toContain('`MicrosoftAppTenantId`: is missing');
  });

  it('should accept a UserAssignedMSI app without a password when the tenant is set', () => {
    const config = parseSampleEnv({ MicrosoftAppId: 'app', MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppTenantId: 't' });
    expect(config.botAuth).toEqual({ appId: 'app', appPassword: '', appType: 'UserAssignedMSI', tenantId: 't' });
  });

  it('should name MicrosoftAppPassword when it is set without an app id', () => {
    expect(errorLine({ MicrosoftAppPassword: 's' })).toContain('`MicrosoftAppPassword`: is set but MicrosoftAppId is not');
  });

  describe('listening address without Bot Framework auth (RELIABILITY A2)', () => {
    it.each(['0.0.0.0', '::', '192.168.1.20', 'bot.example.com'])('should refuse HOST=%s and say how to turn auth on', (host) => {
      const line = errorLine({ HOST: host });
      expect(line).toMatch(/`HOST`: is .* but Bot Framework auth is off/);
      expect(line).toMatch(/Set MicrosoftAppId and MicrosoftAppPassword .* to turn Bot Framework auth on/);
    });

    it.each(['127.0.0.1', 'localhost', '::1', '127.0.0.2'])('should accept the loopback HOST=%s', (host) => {
      expect(parseSampleEnv({ HOST: host }).host).toBe(host);
    });

    it('should accept BOT_AUTH_DISABLED=local on loopback and refuse other values', () => {
      expect(parseSampleEnv({ BOT_AUTH_DISABLED: 'local' }).host).toBe('127.0.0.1');
      expect(errorLine({ BOT_AUTH_DISABLED: 'yes' })).toMatch(/`BOT_AUTH_DISABLED`: must be "local"/);
      expect(errorLine({ BOT_AUTH_DISABLED: 'local', HOST: '0.0.0.0' })).toMatch(/`HOST`/);
    });

    it('should refuse BOT_AUTH_DISABLED together with MicrosoftAppId', () => {
      expect(errorLine({ BOT_AUTH_DISABLED: 'local', MicrosoftAppId: 'a', MicrosoftAppPassword: 'p' })).toMatch(/`BOT_AUTH_DISABLED`: is set but so is MicrosoftAppId/);
    });

    it('should let an authenticated bot listen anywhere, every interface by default', () => {
      expect(parseSampleEnv({ MicrosoftAppId: 'a', MicrosoftAppPassword: 'p' }).host).toBeUndefined();
      expect(parseSampleEnv({ MicrosoftAppId: 'a', MicrosoftAppPassword: 'p', HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    });

    it('should name BotOpenIdMetadata when it is set without MicrosoftAppId', () => {
      expect(errorLine({ BotOpenIdMetadata: 'http://127.0.0.1:1/x' })).toMatch(/`BotOpenIdMetadata`: is set but MicrosoftAppId is not/);
    });
  });

  describe('FILE_LINKS_BASE_URL and FILE_LINKS_SECRET', () => {
    const SECRET = 'x'.repeat(32);

    it('should read both into fileLinks', () => {
      expect(parseSampleEnv({ FILE_LINKS_BASE_URL: 'https://bot.example.com/api/8x8/files', FILE_LINKS_SECRET: SECRET }).fileLinks).toEqual({ baseUrl: 'https://bot.example.com/api/8x8/files', secret: SECRET });
    });

    it('should name the missing one when only one is set, and refuse a short secret', () => {
      expect(errorLine({ FILE_LINKS_SECRET: SECRET })).toMatch(/`FILE_LINKS_BASE_URL`: is missing but FILE_LINKS_SECRET is set/);
      expect(errorLine({ FILE_LINKS_BASE_URL: 'https://bot.example.com/api/8x8/files' })).toMatch(/`FILE_LINKS_SECRET`: is missing/);
      expect(errorLine({ FILE_LINKS_BASE_URL: 'https://bot.example.com/api/8x8/files', FILE_LINKS_SECRET: 'short' })).toMatch(/`FILE_LINKS_SECRET`: must be at least 32 characters/);
    });
  });

  describe('METRICS_TOKEN', () => {
    it('should read it into metricsToken, leave it out when unset or empty, and refuse a short one', () => {
      expect(parseSampleEnv({ METRICS_TOKEN: 'a'.repeat(16) }).metricsToken).toBe('a'.repeat(16));
      expect(parseSampleEnv({}).metricsToken).toBeUndefined();
      expect(parseSampleEnv({ METRICS_TOKEN: ' ' }).metricsToken).toBeUndefined();
      expect(errorLine({ METRICS_TOKEN: 'short' })).toMatch(/`METRICS_TOKEN`: must be at least 16 characters/);
    });
  });
});
