#!/usr/bin/env node
/**
 * `npx botbuilder-8x8-handoff setup`: the process edge of the setup CLI. Everything testable lives
 * in run-cli.ts and run-setup.ts; this file only wires argv, the environment, the terminal and a
 * real Chat Gateway client.
 */
import { ChatGatewaySetupClient } from '../gateway/setup-client';
import { runCli } from './run-cli';
import { terminalAsk } from './prompt';

async function main(): Promise<number> {
  const terminal = process.stdin.isTTY ? terminalAsk(process.stdin, process.stdout) : undefined;
  const clients: ChatGatewaySetupClient[] = [];
  try {
    return await runCli(process.argv.slice(2), {
      env: process.env,
      out: (line) => process.stdout.write(`${line}\n`),
      err: (line) => process.stderr.write(`${line}\n`),
      ask: terminal?.ask,
      createClient: (args) => {
        // Setup is interactive: fail within seconds rather than retrying for the default 30 s.
        const client = new ChatGatewaySetupClient({ apiKey: args.apiKey, tenantId: args.tenant, baseUrl: args.baseUrl, deadlineMs: 15_000 });
        clients.push(client);
        return client;
      },
    });
  } finally {
    terminal?.close();
    for (const client of clients) client.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`Unexpected error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
