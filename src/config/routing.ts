/**
 * Routing: which 8x8 queue, properties and language an escalation gets. Pure.
 */
import { compilePattern } from '../triggers/pattern';
import { containsPhrase, foldText, localeChain, words } from '../triggers/text';
import type { EscalationRequest } from '../triggers/types';

/** Conditions of a rule; every condition given must hold. */
export interface RoutingCondition {
  /** The intent that fired (or the turn's top intent), compared case-insensitively. */
  intent?: string;
  /** A keyword or phrase: the keyword that fired, or whole words of the user's utterance (accent-insensitive). */
  keyword?: string;
  /** A regular expression tested against the user's utterance (strings compiled with `iu`). */
  pattern?: string | RegExp;
  /** The trigger type, e.g. `handoff.initiate` or `fallback`. */
  trigger?: string;
  /** The request's language or the activity's locale, by prefix: `fr` matches `fr-CA`. */
  language?: string;
}

/** One routing rule: when the conditions hold, route there. */
export interface RoutingRule {
  when: RoutingCondition;
  queueId?: string;
  /** Added to 8x8 `user.additionalProperties`. */
  additionalProperties?: Record<string, string>;
  /** 8x8 routing language, e.g. `fr`. */
  language?: string;
}

/** Where an escalation goes. */
export interface RouteDecision {
  queueId: string;
  properties: Record<string, string>;
  language?: string;
}

/** Fallbacks when neither the trigger nor a rule decides. */
export interface RouteDefaults {
  queueId: string;
  properties?: Record<string, string>;
  language?: string;
}

function keywordMatches(request: EscalationRequest, keyword: string): boolean {
  if (request.keyword !== undefined && words(request.keyword).join(' ') === words(keyword).join(' ')) return true;
  return request.text !== undefined && containsPhrase(request.text, keyword);
}

function patternMatches(request: EscalationRequest, pattern: string | RegExp): boolean {
  if (request.text === undefined) return false;
  const re = compilePattern(pattern, 'routing.when.pattern');
  return re.test(request.text) || re.test(foldText(request.text));
}

function languageMatches(request: EscalationRequest, language: string): boolean {
  const wanted = language.toLowerCase();
  return [request.language, request.locale].some((l) => l !== undefined && localeChain(l).includes(wanted));
}

/** True when every condition of `when` holds for the request. A rule without conditions never matches. */
export function ruleMatches(request: EscalationRequest, when: RoutingCondition): boolean {
  const checks: boolean[] = [];
  if (when.trigger !== undefined) checks.push(request.trigger === when.trigger);
  if (when.intent !== undefined) checks.push(request.intent?.name.toLowerCase() === when.intent.toLowerCase());
  if (when.keyword !== undefined) checks.push(keywordMatches(request, when.keyword));
  if (when.pattern !== undefined) checks.push(patternMatches(request, when.pattern));
  if (when.language !== undefined) checks.push(languageMatches(request, when.language));
  return checks.length > 0 && checks.every(Boolean);
}

/**
 * Decides queue, properties and language. The first matching rule wins; the trigger's own choices
 * win over the rule, and the rule over the defaults. Properties merge in that order.
 */
export function routeEscalation(request: EscalationRequest, rules: readonly RoutingRule[], defaults: RouteDefaults): RouteDecision {
  const rule = rules.find((r) => ruleMatches(request, r.when));
  const decision: RouteDecision = {
    queueId: request.queueId ?? rule?.queueId ?? defaults.queueId,
    properties: { ...defaults.properties, ...rule?.additionalProperties, ...request.properties },
  };
  const language = request.language ?? rule?.language ?? defaults.language;
  if (language !== undefined) decision.language = language;
  return decision;
}
