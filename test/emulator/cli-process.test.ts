/**
 * The `8x8-emulator` command as a real process: it starts, prints where it listens, serves the
 * API and the console, and stops cleanly on SIGINT.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

function runCli(args: string[]): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/emulator/cli.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'silent', TS_NODE_PROJECT: path.join(ROOT, 'tsconfig.json') },
  });
}

function output(child: ChildProcessWithoutNullStreams, until: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`no ${until} in: ${text}`)), 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (until.test(text)) {
        clearTimeout(timer);
        resolve(text);
      }
    });
    child.on('exit', () => {
      clearTimeout(timer);
      resolve(text);
    });
  });
}

const exited = (child: ChildProcessWithoutNullStreams) => new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

describe('8x8-emulator (process)', () => {
  it('should print its URLs, serve the API with the given key and queues, and exit 0 on SIGINT', async () => {
    const child = runCli(['--port', '0', '--api-key', 'k-123', '--queue', 'billing:Billing Team', '--webhook-url', 'http://127.0.0.1:9/hook']);
    const text = await output(child, /Channel .* delivers to/);
    const url = /emulator: (http:\/\/127\.0\.0\.1:\d+)/.exec(text)?.[1];
    expect(url).toBeDefined();
    expect(text).toContain('API key: k-123');
    expect(text).toContain(`Agent console: ${url}/console/`);
    const denied = await fetch(`${url}/chat-gateway/v1/channels`);
    expect(denied.status).toBe(401);
    const channels = (await (await fetch(`${url}/chat-gateway/v1/channels`, { headers: { 'x-api-key': 'k-123' } })).json()) as {
      _embedded: { channels: Array<{ routingOptions: { id: string } }> };
    };
    expect(channels._embedded.channels[0]!.routingOptions.id).toBe('billing');
    expect((await fetch(`${url}/console/`)).status).toBe(200);
    child.kill('SIGINT');
    expect(await exited(child)).toBe(0);
  }, 90_000);

  it('should print the usage and exit 1 on an unknown flag', async () => {
    const child = runCli(['--nope']);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
    expect(await exited(child)).toBe(1);
    expect(stderr).toMatch(/Unknown option '--nope'[\s\S]*Usage: 8x8-emulator/);
  }, 90_000);
});
