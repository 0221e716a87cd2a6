/**
 * A throw-away Azurite (Microsoft's Azure Storage emulator, the `azurite` npm devDependency) for
 * the Blob storage suites: the Blob service only, in memory, on a free 127.0.0.1 port, started in
 * `beforeAll` and stopped in `afterAll`. Its well-known development account and key are public.
 *
 * Without the package the suite is skipped with a printed notice, except when `CI` is set: there
 * it fails, so a CI image that lost it cannot pass silently.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** Azurite's documented development account (public, not a secret). */
const ACCOUNT = 'devstoreaccount1';
const ACCOUNT_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

/** What a {@link describeWithAzurite} body gets. */
export interface AzuriteHarness {
  /** A connection string for the running Blob service (valid once `beforeAll` ran). */
  readonly connectionString: string;
}

function blobMain(): string | undefined {
  try {
    return require.resolve('azurite/dist/src/blob/main.js');
  } catch {
    return undefined;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Starts Azurite's Blob service and resolves once it says it listens. */
async function startAzurite(main: string): Promise<{ port: number; stop(): Promise<void> }> {
  const port = await freePort();
  const child = spawn(process.execPath, [main, '--blobHost', '127.0.0.1', '--blobPort', String(port), '--inMemoryPersistence', '--skipApiVersionCheck', '--loose', '--disableTelemetry'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited(child);
  };
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Azurite did not listen within 60 s: ${output}`)), 60_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (/successfully listens/.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Azurite exited with ${String(code)}: ${output}`));
    });
  });
  return { port, stop };
}

/**
 * `describe` with an Azurite Blob service for the suite. Skipped (with a notice) when the
 * `azurite` package is not installed, failing instead when the `CI` environment variable is set.
 */
export function describeWithAzurite(name: string, body: (azurite: AzuriteHarness) => void): void {
  const main = blobMain();
  if (!main) {
    if (process.env.CI) {
      describe(name, () => {
        it('should have the azurite package installed in CI', () => {
          throw new Error('azurite is missing: run npm ci (it is a devDependency).');
        });
      });
      return;
    }
    console.warn(`[azurite] the azurite package is not installed: skipping "${name}". Run npm ci to install it.`);
    describe.skip(name, () => body({ connectionString: '' }));
    return;
  }
  describe(name, () => {
    let server: { port: number; stop(): Promise<void> } | undefined;
    const harness: AzuriteHarness = {
      get connectionString() {
        if (!server) throw new Error('Azurite is not started yet: use the harness inside tests or hooks');
        return `DefaultEndpointsProtocol=http;AccountName=${ACCOUNT};AccountKey=${ACCOUNT_KEY};BlobEndpoint=http://127.0.0.1:${server.port}/${ACCOUNT};`;
      },
    };
    beforeAll(async () => {
      server = await startAzurite(main);
    }, 90_000);
    afterAll(async () => {
      await server?.stop();
    });
    body(harness);
  });
}
