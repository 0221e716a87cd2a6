/**
 * Guards the public API (issue 9, "a small public surface"):
 * - public-api.typecheck.ts, the everyday API with `@ts-expect-error` lines for misuse, must
 *   type-check with no error: a misuse that starts compiling makes its directive unused, which
 *   is an error too;
 * - the entries' value exports are exactly the lists below, so an internal that leaks back into
 *   `src/index.ts` (or the emulator's entry) fails here and has to be added on purpose.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';

const TSC = require.resolve('typescript/bin/tsc');
const PROJECT = path.join(__dirname, 'tsconfig.json');

/** `botbuilder-8x8-handoff`: the values a bot author or integrator imports, in alphabetical order. */
const PUBLIC_VALUES = [
  'AttachmentFetchError', 'AttachmentTooLargeError', 'BOT_FRAMEWORK_LIMITS', 'CHANNEL_PACE_LIMITS', 'CHAT_GATEWAY_VERSION',
  'ChatGatewayAdapter', 'ChatGatewayApiError', 'ChatGatewayClient', 'ChatGatewayNetworkError', 'ChatGatewaySetupClient',
  'ChatGatewayThrottledError', 'ChatGatewayUnavailableError', 'ConfigurationError', 'DEFAULT_BASE_URL', 'DEFAULT_MESSAGES',
  'ETagConflictError', 'HandoffConfigError', 'HandoffError', 'HandoffMiddleware', 'HttpJwkSource', 'JwkUnavailableError',
  'METRIC_NAMES', 'MemoryDedupeStore', 'NATIVE_CONVERSATION_KEY', 'RedisDedupeStore', 'RedisStorage', 'RelayDroppedError',
  'StaticJwkSource', 'StorageConflictError', 'StoredItemError', 'TEAMS_LIMITS', 'WEBHOOK_HEADERS', 'WEEKDAY_KEYS', 'WebhookReceiver',
  'activityToGatewayMessage', 'assertStorageCapabilities', 'buildHistory', 'canCreateIfAbsent', 'checkStorage', 'combineAvailability',
  'combineObservers', 'compileSchedule', 'createAttachmentFetcher', 'createDefaultLogger', 'createHandoffMetrics', 'expressWebhook',
  'gatewayMessageToActivity', 'handoffConfigSchema', 'isFallbackTurn', 'isOpenAt', 'listAll', 'loadHandoffConfig', 'loggingObserver',
  'markFallback', 'nativeConversationOf', 'nextOpening', 'parseGatewayEvent', 'queueStatsAvailability', 'routeEscalation',
  'scheduleAvailability', 'signWebhook', 'signedPayload', 'silentLogger', 'telemetryObserver', 'tenantScheduleAvailability', 'triggers',
  'verifyWebhookSignature', 'webhookChecksum', 'withBlobsCreateIfAbsent',
];

/** `botbuilder-8x8-handoff/emulator`. */
const EMULATOR_VALUES = [
  'EMULATOR_API_SECRET', 'EMULATOR_DATA_REQUEST_TOKEN', 'EMULATOR_DEPENDENCIES', 'EmulatorDependenciesError', 'FIDELITY_PROFILES',
  'ScriptedAgent', 'startEmulator',
];

/** Names of the handoff core (public before issue 9, or new with its reducer) that must stay out of the entry. */
const INTERNAL_VALUES = [
  'transition', 'emptyRecord', 'HandoffStore', 'CasStorage', 'planDeadlines', 'fireDue', 'userActive', 'DeadlineIndex', 'isHandoffActive',
  'isConversationGone', 'classifySendFailure', 'SendPacer', 'ChannelPacer', 'ContactCenter', 'reduce', 'HandoffCore', 'migrateRecord',
];

function typecheck(): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [TSC, '--noEmit', '-p', PROJECT], { cwd: path.join(__dirname, '../..'), maxBuffer: 8 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}${stderr}`.trim() });
    });
  });
}

describe('the public API', () => {
  it('should type-check the everyday API and reject every misuse in public-api.typecheck.ts', async () => {
    const result = await typecheck();
    expect(result).toEqual({ code: 0, output: '' });
  }, 180_000);

  it('should export exactly the listed values from the main entry', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const entry = require('../../src') as Record<string, unknown>;
    expect(Object.keys(entry).sort()).toEqual([...PUBLIC_VALUES].sort());
    for (const name of INTERNAL_VALUES) expect({ name, exported: name in entry }).toEqual({ name, exported: false });
  });

  it('should export exactly the listed values from the emulator entry', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const entry = require('../../src/emulator') as Record<string, unknown>;
    expect(Object.keys(entry).sort()).toEqual([...EMULATOR_VALUES].sort());
    expect('ContactCenter' in entry).toBe(false);
  });
});
