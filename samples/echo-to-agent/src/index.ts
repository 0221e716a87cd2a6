/**
 * `npm start`: runs the echo-to-agent sample until Ctrl+C. Configuration comes from the
 * environment (see config.ts and the sample's README).
 */
import { ConfigurationError } from 'botbuilder-8x8-handoff';
import { startSample } from './start-sample';

startSample().then(
  (sample) => {
    const stop = () => {
      sample.close().finally(() => process.exit(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  },
  (err: unknown) => {
    // One clear line: configuration problems name the variable, port problems name the port.
    const message = err instanceof ConfigurationError || err instanceof Error ? err.message : String(err);
    console.error(`echo-to-agent: ${message}`);
    process.exitCode = 1;
  },
);
