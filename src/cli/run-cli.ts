/**
 * The CLI around {@link runSetup}: argv and environment in, exit code out. Prompts for missing
 * values only when stdin is a terminal; otherwise a missing value is a usage error.
 */
import type { SetupArgs } from './setup-args';
import { parseSetupCommand, flagOf, USAGE } from './setup-args';
import { askMissing, type Ask } from './prompt';
import { runSetup, EXIT } from './run-setup';
import type { SetupGateway } from './setup-gateway';

/** The process edges the CLI uses, injectable for tests. */
export interface CliIo {
  env: NodeJS.ProcessEnv;
  /** Normal output (the plan and the environment lines). */
  out: (line: string) => void;
  /** Errors and usage. */
  err: (line: string) => void;
  /** Present when stdin is a terminal: prompts for missing values. */
  ask?: Ask;
  /** Builds the Chat Gateway client for the resolved arguments. */
  createClient: (args: SetupArgs) => SetupGateway;
}

/** Runs `botbuilder-8x8-handoff <argv>` and resolves to the exit code (0 ok, 1 error, 2 usage). */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const command = parseSetupCommand(argv, io.env);
  if (command.kind === 'help') {
    io.out(USAGE);
    return EXIT.ok;
  }
  if (command.kind === 'usage-error') return usageError(io, command.message);
  let args: SetupArgs;
  if (command.missing.length === 0) {
    args = command.args as SetupArgs;
  } else if (io.ask) {
    try {
      args = { ...command.args, ...(await askMissing(command.missing, io.ask, io.err)) } as SetupArgs;
    } catch (err) {
      return usageError(io, (err as Error).message);
    }
  } else {
    return usageError(io, `Missing ${command.missing.map(flagOf).join(', ')} (stdin is not a terminal, so there is nobody to ask)`);
  }
  return runSetup(args, { client: io.createClient(args), out: io.out });
}

function usageError(io: CliIo, message: string): number {
  io.err(`Error: ${message}`);
  io.err('Run `botbuilder-8x8-handoff --help` for usage.');
  return EXIT.usage;
}
