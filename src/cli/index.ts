/**
 * The setup CLI's public names: the logic behind `npx botbuilder-8x8-handoff setup`, usable from
 * code (e.g. a deployment script) without a process.
 */
export { runSetup, CHAT_GATEWAY_VERSION, EXIT } from './run-setup';
export type { SetupDeps } from './run-setup';
export { runCli } from './run-cli';
export type { CliIo } from './run-cli';
export { parseSetupCommand, USAGE } from './setup-args';
export type { SetupArgs, ParsedCommand, PromptableField } from './setup-args';
export type { SetupGateway } from './setup-gateway';
export { explainSetupError } from './explain-error';
export { formatEnvLines, maskSecret } from './env-lines';
export type { EnvValues } from './env-lines';
