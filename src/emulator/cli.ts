#!/usr/bin/env node
/**
 * `8x8-emulator`: runs the local Chat Gateway emulator until Ctrl-C.
 *
 *   8x8-emulator [--port 3979] [--host 127.0.0.1] [--api-key KEY] [--webhook-url URL] [--queue id:name]... [--fidelity PROFILE]
 */
import { parseArgs } from 'node:util';
import { createDefaultLogger } from '../logger';
import { assertEmulatorDependencies, EmulatorDependenciesError } from './dependencies';
import { FIDELITY_PROFILES, type FidelityProfile } from './delivery/fidelity';
import type { EmulatorOptions } from './options';

/** What `--help` prints. */
export const CLI_USAGE = `Usage: 8x8-emulator [options]

A local 8x8 Chat Gateway with an agent console, for development and tests.

Options:
  --port N            port to listen on (default 3979; 0 picks a free one)
  --host HOST         interface to listen on (default 127.0.0.1)
  --api-key KEY       the x-api-key clients must send (default emulator-api-key)
  --webhook-url URL   create a webhook and a Chat API channel delivering to URL
  --queue ID:NAME     a chat queue (repeatable; default support:Support)
  --fidelity PROFILE  the form of the webhook events: ${FIDELITY_PROFILES.join(', ')}
                      (default standard; switchable in the console)
  --file-link-ttl MS  how long attachment preSignedUrl links stay valid (default 3600000)
  --help              show this help
`;

/** Turns command-line arguments into emulator options; throws on a malformed flag. */
export function parseCliArgs(argv: string[]): EmulatorOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'api-key': { type: 'string' },
      'webhook-url': { type: 'string' },
      queue: { type: 'string', multiple: true },
      fidelity: { type: 'string' },
      'file-link-ttl': { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  const options: EmulatorOptions = {};
  if (values.port !== undefined) options.port = Number(values.port);
  if (values.host !== undefined) options.host = values.host;
  if (values['api-key'] !== undefined) options.apiKey = values['api-key'];
  if (values['webhook-url'] !== undefined) options.webhookUrl = values['webhook-url'];
  // Checked (with the list of profiles in the error) by startEmulator.
  if (values.fidelity !== undefined) options.fidelity = values.fidelity as FidelityProfile;
  if (values['file-link-ttl'] !== undefined) options.fileLinkTtlMs = Number(values['file-link-ttl']);
  if (values.queue?.length) {
    options.queues = values.queue.map((spec) => {
      const [id = '', ...rest] = spec.split(':');
      return { id, name: rest.join(':') || id };
    });
  }
  return options;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help')) {
    process.stdout.write(CLI_USAGE);
    return;
  }
  const options = parseCliArgs(argv);
  // Loaded only after the check, so a missing express or busboy gives the install line, not a stack trace.
  assertEmulatorDependencies();
  const { startEmulator } = await import('./emulator');
  const emulator = await startEmulator({ ...options, logger: createDefaultLogger('8x8-emulator') });
  process.stdout.write(
    `8x8 Chat Gateway emulator: ${emulator.url}\nAPI key: ${options.apiKey ?? 'emulator-api-key'}\nAgent console: ${emulator.consoleUrl}\n`,
  );
  if (options.webhookUrl) process.stdout.write(`Channel ${emulator.channelId} delivers to ${options.webhookUrl}\n`);
  const stop = () => {
    void emulator.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    const usage = err instanceof EmulatorDependenciesError ? '' : `\n${CLI_USAGE}`;
    process.stderr.write(`${(err as Error).message}\n${usage}`);
    process.exit(1);
  });
}
