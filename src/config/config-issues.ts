/**
 * Turns zod issues into one readable line per problem: the field path, what is wrong and how to
 * fix it. Pure functions.
 */
import type { z } from 'zod';
import { KNOWN_FIELDS } from './schema';

/** One configuration problem. */
export interface ConfigProblem {
  /** Dotted path such as `triggers.patterns[1]`. */
  path: string;
  problem: string;
  fix: string;
}

/** Fixes by field, looked up from the most specific path (indices as `[]`) to the least. */
const FIXES: Record<string, string> = {
  '': 'Pass an object like { "queueId": "support", "triggers": { "keywords": ["agent"] } }',
  queueId: 'Set it to the id of an 8x8 chat queue, e.g. "queueId": "support"',
  triggers: 'Use an object with any of: keywords, patterns, intents, handoffInitiate, repeatedFallback',
  'triggers.keywords': 'Use a list (["agent", "human"]) or lists per locale ({ "default": ["agent"], "fr": ["conseiller"] })',
  'triggers.patterns': 'Use a list of regular expressions as strings, e.g. ["\\\\bspeak to (a|an) (person|human)\\\\b"] (double every backslash in JSON)',
  'triggers.intents': 'Use a list of names or objects, e.g. [{ "intent": "Escalate", "minScore": 0.7 }]',
  'triggers.intents[].minScore': 'Use a score from 0 to 1, e.g. 0.7',
  'triggers.handoffInitiate': 'Use true, false or { "inbound": true, "queueId": "..." }',
  'triggers.repeatedFallback': 'Use a whole number of turns, at least 1, e.g. 3',
  routing: 'Use a list of rules, e.g. [{ "when": { "intent": "Billing" }, "queueId": "billing" }]',
  'routing[]': 'A rule needs a "when" and at least one of "queueId", "additionalProperties", "language"',
  'routing[].when': 'Give at least one of intent, keyword, pattern, trigger, language, e.g. { "keyword": "invoice" }',
  'routing[].when.pattern': 'Fix the regular expression syntax; double every backslash inside JSON strings',
  'routing[].additionalProperties': 'Use an object of string values, e.g. { "Department": "Billing" } (8x8 accepts strings only)',
  messages: 'Use { "<message id>": "text" } or { "<message id>": { "default": "text", "fr": "texte" } }',
  availability: 'Use { "timeZone": "Europe/London", "weekly": { "mon": [["09:00", "17:30"]] }, "holidays": ["2026-12-25"] }',
  'availability.timeZone': 'Use an IANA time zone name such as "Europe/London" or "America/New_York"',
  'availability.weekly': 'Use weekday keys sun, mon, tue, wed, thu, fri, sat, each a list of ["HH:MM", "HH:MM"] ranges (a missing day is closed)',
  leaveMessage: 'Use { "queueId": "messages", "note": "Left out of hours", "windowSeconds": 600 }',
  'availability.holidays': 'Use a list of local dates, e.g. ["2026-12-25"]',
  waitingRoom: 'Use { "updateEverySeconds": 60, "maxWaitSeconds": 900, "onMaxWait": "offer" } (seconds, any positive number)',
  'waitingRoom.onMaxWait': 'Use "offer" (keep waiting / back to the bot) or "return" (back to the bot at once)',
  inactivity: 'Use { "remindAfterSeconds": 120, "endAfterSeconds": 180 } (seconds, any positive number)',
  reopenWindowSeconds: 'Use a positive number of seconds, e.g. 86400 (a day)',
  postAgentAssignment: 'Use { "webhookId": "<the bot\'s 8x8 webhook id>", "maxTotalMinutes": 300, "userTimeoutInMinutes": 150 } (minutes: 20..600 and 10..300)',
  cancelPhrases: 'Use a list (["cancel", "stop"]) or lists per locale ({ "default": ["cancel"], "fr": ["annuler"] })',
};

const KNOWN_BY_PATH: Record<string, readonly string[]> = {
  '': KNOWN_FIELDS.root,
  triggers: KNOWN_FIELDS.triggers,
  availability: KNOWN_FIELDS.availability,
  leaveMessage: KNOWN_FIELDS.leaveMessage,
  waitingRoom: KNOWN_FIELDS.waitingRoom,
  postAgentAssignment: KNOWN_FIELDS.postAgentAssignment,
  inactivity: KNOWN_FIELDS.inactivity,
  'triggers.intents[]': KNOWN_FIELDS.intent,
  'triggers.handoffInitiate': KNOWN_FIELDS.handoffInitiate,
  'routing[]': KNOWN_FIELDS.rule,
  'routing[].when': KNOWN_FIELDS.when,
};

/** `['routing', 0, 'when']` -> `routing[0].when` */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, seg) => (typeof seg === 'number' ? `${acc}[${seg}]` : acc === '' ? String(seg) : `${acc}.${String(seg)}`), '');
}

/** `['routing', 0, 'when']` -> `routing[].when`, the key of the tables above. */
function pathKey(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, seg) => (typeof seg === 'number' ? `${acc}[]` : acc === '' ? String(seg) : `${acc}.${String(seg)}`), '');
}

function fixFor(path: readonly PropertyKey[]): string {
  for (let n = path.length; n >= 0; n--) {
    const fix = FIXES[pathKey(path.slice(0, n))];
    if (fix) return fix;
  }
  return FIXES['']!;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

function unknownKey(path: readonly PropertyKey[], key: string): ConfigProblem {
  const known = KNOWN_BY_PATH[pathKey(path)] ?? [];
  const close = known.filter((k) => distance(k, key) <= 2);
  const suggestion = close.length > 0 ? `Did you mean "${close[0]}"? ` : '';
  return { path: formatPath([...path, key]), problem: 'is not a known field', fix: `${suggestion}Remove it or fix the spelling (known fields here: ${known.join(', ')})` };
}

/** Maps zod issues (including nested union branches) to problems, one per field. */
export function toProblems(issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[] = []): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push(unknownKey(path, key));
    } else if (issue.code === 'invalid_union') {
      // When a branch got past the top-level type check, its nested errors are the real story.
      const deep = issue.errors.find((branch) => branch.some((i) => i.path.length > 0));
      if (deep) out.push(...toProblems(deep, path));
      else out.push({ path: formatPath(path), problem: 'has the wrong type', fix: fixFor(path) });
    } else {
      out.push({ path: formatPath(path), problem: describe(issue), fix: fixFor(path) });
    }
  }
  return out;
}

function describe(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') {
    return issue.message.includes('received undefined') ? 'is required' : `must be ${issue.expected === 'int' ? 'a whole number' : `a${/^[aeiou]/.test(issue.expected) ? 'n' : ''} ${issue.expected}`}`;
  }
  if (issue.code === 'too_small' && issue.origin === 'number') return `must be at least ${String(issue.minimum)}`;
  if (issue.code === 'too_big' && issue.origin === 'number') return `must be at most ${String(issue.maximum)}`;
  return issue.message;
}
