/**
 * `botbuilder-8x8-handoff/emulator`: a local 8x8 Chat Gateway with signed webhooks, an agent
 * console and scripted agents, for demos, samples and tests without an 8x8 account.
 *
 * It needs express, busboy and adaptivecards (optional peer dependencies, so bots that never
 * start it do not install them); the check below runs first, before any of them is loaded.
 */
import { assertEmulatorDependencies } from './dependencies';

assertEmulatorDependencies();

export { EmulatorDependenciesError, EMULATOR_DEPENDENCIES } from './dependencies';
export { startEmulator } from './emulator';
export type { Emulator } from './emulator';
export type { EmulatorOptions, EmulatorQueue, EmulatorAgentOptions, DeliveryOptions, EmulatorClock } from './options';
export type { EmulatorFaults, ApiErrorFault, DeliveryFaults } from './faults';
export { FIDELITY_PROFILES } from './delivery/fidelity';
export type { FidelityProfile } from './delivery/fidelity';
export type { DeliveryRecord, DeliveryAttempt, DeliveryStatus } from './delivery/delivery-log';
export { ScriptedAgent } from './scripted-agent';
export type { SayOptions, ScriptedAttachment } from './scripted-agent';
export type { WaitOptions } from './changes';
export type {
  ConsoleSnapshot,
  ConsoleConversation,
  ConsoleMessage,
  ConsoleAttachment,
  ConsoleAgent,
  ConsoleQueue,
  ConsoleConversationStatus,
  AgentRequest,
} from './console-api';
export type { ContactCenter } from './contact-center/state';
export type { OpenMode, QueueFigures } from './contact-center/state';
export { EMULATOR_DATA_REQUEST_TOKEN, EMULATOR_API_SECRET } from './contact-center/routes';
