/**
 * The sample's front door with `MicrosoftAppId` set (RELIABILITY A1): `/api/messages` accepts only
 * valid Bot Framework channel tokens. botbuilder's own validation does the checking; the sample
 * only points it at a local OpenID configuration and JWKS (`BotOpenIdMetadata`), so this runs
 * offline. The valid case uses `deliveryMode: expectReplies`, so the bot's reply comes back in the
 * response body and nothing is sent to a connector.
 */
import { startSample, type RunningSample } from '../../samples/echo-to-agent/src/start-sample';
import { silentLogger } from '../../src/logger';
import { startOpenIdIssuer, unsignedToken, type ChannelClaims, type LocalOpenIdIssuer } from './support/openid-issuer';

const APP_ID = '11111111-2222-3333-4444-555555555555';
const SERVICE_URL = 'https://webchat.botframework.com/';
const GOOD: ChannelClaims = { iss: 'https://api.botframework.com', aud: APP_ID, serviceurl: SERVICE_URL };

let issuer: LocalOpenIdIssuer;
let sample: RunningSample;
let base: string;

beforeAll(async () => {
  // CloudAdapter console.errors every refused request; the assertions are on the responses.
  jest.spyOn(console, 'error').mockImplementation(() => undefined);
  issuer = await startOpenIdIssuer(['webchat', 'directline', 'msteams']);
  sample = await startSample({
    env: {
      MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'not-used-offline', HOST: '127.0.0.1',
      BotOpenIdMetadata: issuer.metadataUrl, ToBotFromEmulatorOpenIdMetadataUrl: issuer.metadataUrl,
    },
    port: 0, emulatorPort: 0, logger: silentLogger, out: () => undefined,
  });
  base = sample.url.replace('localhost', '127.0.0.1');
});

afterAll(async () => {
  await sample?.close();
  await issuer?.close();
});

let n = 0;
function activity(overrides: Record<string, unknown> = {}) {
  n += 1;
  return {
    type: 'message', id: `a${n}`, text: `ping ${n}`, channelId: 'webchat', serviceUrl: SERVICE_URL, deliveryMode: 'expectReplies',
    from: { id: `user-${n}`, role: 'user' }, recipient: { id: APP_ID, role: 'bot' }, conversation: { id: `conv-${n}` }, ...overrides,
  };
}

async function post(authorization: string | undefined, body: object = activity()): Promise<{ status: number; body: string }> {
  const res = await fetch(`${base}/api/messages`, {
    method: 'POST', body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...(authorization === undefined ? {} : { authorization }) },
  });
  return { status: res.status, body: await res.text() };
}

describe('/api/messages with MicrosoftAppId set', () => {
  it('should accept a valid channel token and run the bot', async () => {
    const body = activity();
    const res = await post(`Bearer ${await issuer.sign(GOOD)}`, body);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).activities.map((a: { text: string }) => a.text)).toContain(`You said: ${body.text}`);
  });

  const now = () => Math.floor(Date.now() / 1000);
  // Every row has three entries: jest hands a shorter row's test a `done` callback instead.
  it.each<[string, () => Promise<string | undefined>, Record<string, unknown>]>([
    ['no Authorization header', async () => undefined, {}],
    ['an empty bearer token', async () => 'Bearer ', {}],
    ['a token that is not a JWT', async () => 'Bearer not-a-token', {}],
    ['a wrong audience', async () => `Bearer ${await issuer.sign({ ...GOOD, aud: 'some-other-bot' })}`, {}],
    ['no audience', async () => `Bearer ${await issuer.sign({ ...GOOD, aud: undefined })}`, {}],
    ['a wrong issuer', async () => `Bearer ${await issuer.sign({ ...GOOD, iss: 'https://evil.example.com' })}`, {}],
    // botbuilder allows 5 minutes of clock skew, so "expired" means well past that.
    ['an expired token', async () => `Bearer ${await issuer.sign({ ...GOOD, exp: now() - 3600, nbf: now() - 7200 })}`, {}],
    ['a token not valid yet', async () => `Bearer ${await issuer.sign({ ...GOOD, nbf: now() + 3600, exp: now() + 7200 })}`, {}],
    ['a signature from a key that is not published', async () => `Bearer ${await issuer.sign(GOOD, { key: await issuer.strayKey() })}`, {}],
    ['an unknown key id', async () => `Bearer ${await issuer.sign(GOOD, { kid: 'unknown-kid' })}`, {}],
    ['alg none', async () => `Bearer ${unsignedToken({ ...GOOD, exp: now() + 3600 })}`, {}],
    ['a serviceUrl claim that does not match the activity', async () => `Bearer ${await issuer.sign({ ...GOOD, serviceurl: 'https://attacker.example.com/' })}`, {}],
    ['a channel the key is not endorsed for', async () => `Bearer ${await issuer.sign(GOOD)}`, { channelId: 'not-endorsed' }],
    ['a tampered payload', async () => {
      const [h, , s] = (await issuer.sign(GOOD)).split('.');
      return `Bearer ${h}.${Buffer.from(JSON.stringify({ ...GOOD, aud: APP_ID, exp: now() + 99999 })).toString('base64url')}.${s}`;
    }, {}],
  ])('should refuse %s and not run the bot', async (_case, token, overrides) => {
    const res = await post(await token(), activity(overrides));
    expect(res.status).toBe(401);
    expect(res.body).not.toContain('You said');
  });

  it('should refuse a token for this bot whose signature is valid but whose activity claims another serviceUrl', async () => {
    const res = await post(`Bearer ${await issuer.sign(GOOD)}`, activity({ serviceUrl: 'https://attacker.example.com/' }));
    expect(res.status).toBe(401);
  });

  it('should not serve the local customer chat (it cannot mint tokens)', async () => {
    const page = await fetch(`${base}/`);
    expect(await page.text()).toMatch(/customer chat is off because MicrosoftAppId is set/);
  });
});

describe('startSample() without MicrosoftAppId', () => {
  it('should refuse to start on a non-loopback HOST and say how to turn auth on', async () => {
    await expect(startSample({ env: { HOST: '0.0.0.0' }, port: 0, emulatorPort: 0, logger: silentLogger, out: () => undefined }))
      .rejects.toThrow(/`HOST`: is 0\.0\.0\.0 but Bot Framework auth is off.*Set MicrosoftAppId and MicrosoftAppPassword/);
  });
});
