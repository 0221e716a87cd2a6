/**
 * Escalation triggers: when a conversation should go to a person.
 */
import { handoffInitiate } from './handoff-initiate';
import { intent } from './intent';
import { keywords } from './keywords';
import { pattern } from './pattern';
import { repeatedFallback } from './fallback';

/** The built-in triggers, e.g. `triggers.keywords(['agent'])`. */
export const triggers = { keywords, pattern, intent, handoffInitiate, repeatedFallback } as const;

export { keywords, pattern, intent, handoffInitiate, repeatedFallback };
export { markFallback, isFallbackTurn, FALLBACK_TURN_KEY } from './fallback';
export { findRecognizerResult, topIntent, isRecognizerResult, RECOGNIZER_RESULT_KEY, WELL_KNOWN_RECOGNIZER_KEYS } from './recognizer-result';
export { readHandoffContext, readTranscriptAttachment } from './handoff-context';
export { foldText, containsPhrase, localeChain } from './text';
export { compilePattern } from './pattern';
export type { EscalationRequest, EscalationTrigger, TriggerOptions, TriggerResult, AfterTurnInfo } from './types';
export type { KeywordLists } from './keywords';
export type { PatternList } from './pattern';
export type { IntentTriggerOptions, IntentRecognizer } from './intent';
export type { HandoffInitiateOptions } from './handoff-initiate';
export type { HandoffContextInfo } from './handoff-context';
