/**
 * The CLI edge: argument parsing, usage errors (exit 2), help, prompting for missing values, and
 * the real `main.ts` process for its exit code.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { runCli, type CliIo } from '../../src/cli/run-cli';
import { parseSetupCommand } from '../../src/cli/setup-args';
import type { SetupArgs } from '../../src/cli/setup-args';
import type { SetupGateway } from '../../src/cli/setup-gateway';
import type { Ask } from '../../src/cli/prompt';
import { formatEnvLines, maskSecret } from '../../src/cli/env-lines';

const FULL = ['setup', '--api-key', 'k-123456789012', '--webhook-url', 'https://bot.example.com/api/8x8/webhook', '--queue-id', 'q1'];

/** An io whose client records the args it was built with and fails every call (so setup exits 1). */
function io(overrides: Partial<CliIo> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const built: SetupArgs[] = [];
  const refuse = () => Promise.reject(new Error('offline test client'));
  const value: CliIo = {
    env: {},
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    createClient: (args) => {
      built.push(args);
      return { listWebhooks: refuse, createWebhook: refuse, verifyWebhook: refuse, listChannels: refuse, createChannel: refuse } satisfies SetupGateway;
    },
    ...overrides,
  };
  return { io: value, out, err, built };
}

describe('#parseSetupCommand()', () => {
  it('should apply defaults when only the required flags are given', () => {
    expect(parseSetupCommand(FULL)).toEqual({
      kind: 'setup',
      missing: [],
      args: {
        apiKey: 'k-123456789012', webhookUrl: 'https://bot.example.com/api/8x8/webhook', queueId: 'q1', tenant: undefined,
        baseUrl: 'https://api.8x8.com', name: 'botbuilder-8x8-handoff', dryRun: false, showKey: false,
      },
    });
  });

  it('should take the key, queue, tenant and base URL from the environment when the flags are absent', () => {
    const env = { EIGHTX8_API_KEY: 'env-key', EIGHTX8_QUEUE_ID: 'env-q', EIGHTX8_TENANT: 'env-t', EIGHTX8_BASE_URL: 'http://127.0.0.1:1/' };
    const parsed = parseSetupCommand(['setup', '--webhook-url', 'https://x.example/h'], env);
    expect(parsed).toMatchObject({ kind: 'setup', missing: [], args: { apiKey: 'env-key', queueId: 'env-q', tenant: 'env-t', baseUrl: 'http://127.0.0.1:1' } });
  });

  it('should list the missing values when flags are absent', () => {
    expect(parseSetupCommand(['setup', '--dry-run'])).toMatchObject({ kind: 'setup', missing: ['apiKey', 'webhookUrl', 'queueId'], args: { dryRun: true } });
  });
});

describe('#runCli()', () => {
  it.each([
    [['setup', '--nope'], /Unknown option '--nope'/],
    [['deploy'], /Expected the command `setup`, got `deploy`/],
    [[], /Expected the command `setup`, got no command/],
    [[...FULL, '--base-url', 'api.8x8.com'], /--base-url must be an absolute http\(s\) URL/],
    [['setup', '--api-key', 'k', '--queue-id', 'q', '--webhook-url', 'ftp://x'], /--webhook-url must be an http\(s\) URL/],
    [['setup', '--api-key', 'k'], /Missing --webhook-url, --queue-id \(stdin is not a terminal/],
  ])('should exit 2 with a usage error when run with %j', async (argv, message) => {
    const t = io();
    expect(await runCli(argv, t.io)).toBe(2);
    expect(t.err[0]).toMatch(message);
    expect(t.err[1]).toMatch(/--help/);
    expect(t.built).toEqual([]);
  });

  it('should print usage and exit 0 when --help is given', async () => {
    const t = io();
    expect(await runCli(['--help'], t.io)).toBe(0);
    expect(t.out.join('\n')).toMatch(/Usage: botbuilder-8x8-handoff setup/);
    expect(t.out.join('\n')).toMatch(/--dry-run/);
  });

  it('should ask for the missing values and run setup with them when a terminal is attached', async () => {
    const asked: Array<[string, boolean]> = [];
    const answers: Record<string, string[]> = { apiKey: ['secret-key-12345'], webhookUrl: ['not a url', 'https://bot.example.com/h'], queueId: ['q9'] };
    const ask: Ask = async (field, _question, secret) => {
      asked.push([field, secret]);
      return answers[field].shift()!;
    };
    const t = io({ ask });
    expect(await runCli(['setup'], t.io)).toBe(1); // the offline client fails: setup itself is covered elsewhere
    expect(asked).toEqual([['apiKey', true], ['webhookUrl', false], ['webhookUrl', false], ['queueId', false]]);
    expect(t.err).toEqual(['--webhook-url must be an absolute http(s) URL, got `not a url`']);
    expect(t.built[0]).toMatchObject({ apiKey: 'secret-key-12345', webhookUrl: 'https://bot.example.com/h', queueId: 'q9' });
  });

  it('should exit 2 when a prompted value stays invalid three times', async () => {
    const t = io({ ask: async () => '' });
    expect(await runCli(['setup', '--api-key', 'k', '--webhook-url', 'https://x.example/h'], t.io)).toBe(2);
    expect(t.err.at(-2)).toBe('Error: --queue-id cannot be empty');
  });
});

describe('#maskSecret()', () => {
  it('should keep 4 leading and 2 trailing characters when the key is long', () => {
    expect(maskSecret('abcdefghijklmnop')).toBe('abcd**********op');
  });

  it('should hide everything when the key is shorter than 12 characters', () => {
    expect(maskSecret('short-key')).toBe('*********');
  });
});

describe('#formatEnvLines()', () => {
  it('should print the tenant as a comment when no tenant is set', () => {
    const lines = formatEnvLines({ apiKey: 'k', channelId: 'c', queueId: 'q', baseUrl: 'https://api.8x8.com' }, true);
    expect(lines).toContain('# EIGHTX8_TENANT= (only needed when your organisation has several tenants)');
    expect(lines).toContain('EIGHTX8_API_KEY=k');
  });
});

describe('main.ts (the bin)', () => {
  function runMain(argv: string[]): Promise<{ code: number; stderr: string }> {
    const main = join(__dirname, '..', '..', 'src', 'cli', 'main.ts');
    return new Promise((resolve) => {
      execFile(process.execPath, ['-r', 'ts-node/register/transpile-only', main, ...argv], { env: { PATH: process.env.PATH } }, (error, _stdout, stderr) => {
        resolve({ code: error ? Number(error.code) : 0, stderr });
      });
    });
  }

  it('should exit with code 2 when a required value is missing and stdin is not a terminal', async () => {
    const { code, stderr } = await runMain(['setup', '--api-key', 'k']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/Missing --webhook-url, --queue-id/);
  });
});
