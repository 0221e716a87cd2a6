#!/usr/bin/env node
/**
 * `8x8-emulator`: runs the local Chat Gateway emulator until Ctrl-C.
 *
 *   8x8-emulator [--port 3979] [--host 127.0.0.1] [--api-key KEY] [--webhook-url URL] [--queue id:name]...
 */
import { parseArgs } from 'node:util';
import { createDefaultLogger } from '../logger';
import { startEmulator } from './emulator';
import type { EmulatorOptions } from './options';

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
    },
    strict: true,
  });
  const options: EmulatorOptions = {};
  if (values.port !== undefined) options.port = Number(values.port);
  if (values.host !== undefined) options.host = values.host;
  if (values['api-key'] !== undefined) options.apiKey = values['api-key'];
  if (values['webhook-url'] !== undefined) options.webhookUrl = values['webhook-url'];
  if (values.queue?.length) {
    options.queues = values.queue.map((spec) => {
      const [id = '', ...rest] = spec.split(':');
      return { id, name: rest.join(':') || id };
    });
  }
  return options;
}

async function main(): Promise<void> {
  const options = parseCliArgs(process.argv.slice(2));
  const emulator = await startEmulator({ ...options, logger: createDefaultLogger('8x8-emulator') });
  process.stdout.write(`8x8 Chat Gateway emulator: ${emulator.url}\nAgent console: ${emulator.consoleUrl}\n`);
  if (options.webhookUrl) process.stdout.write(`Channel ${emulator.channelId} delivers to ${options.webhookUrl}\n`);
  const stop = () => {
    void emulator.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(1);
  });
}
