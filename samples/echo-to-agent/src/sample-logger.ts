/**
 * The sample's logger: the package's pino logger, quiet below `warn` unless `LOG_LEVEL` is set,
 * so the startup banner stays readable.
 */
import { createDefaultLogger, type Logger } from 'botbuilder-8x8-handoff';

/** Creates the sample's logger; `LOG_LEVEL=info` (or `debug`) shows everything. */
export function createSampleLogger(env: NodeJS.ProcessEnv): Logger {
  const logger = createDefaultLogger('echo-to-agent');
  if (env.LOG_LEVEL) return logger;
  return { debug() {}, info() {}, warn: (obj, msg) => logger.warn(obj, msg), error: (obj, msg) => logger.error(obj, msg) };
}
