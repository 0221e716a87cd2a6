/**
 * Loading and validating a declarative handoff configuration (a JSON file or an object) into
 * ready-to-use triggers and routing rules. Every problem is reported at once, at startup.
 */
import fs from 'node:fs';
import type { WeeklyScheduleInput } from '../availability/weekly-schedule';
import { ConfigurationError } from '../errors';
import { handoffInitiate, intent, keywords, pattern, repeatedFallback } from '../triggers';
import type { EscalationTrigger } from '../triggers/types';
import { toProblems, type ConfigProblem } from './config-issues';
import type { RoutingRule } from './routing';
import { handoffConfigSchema, type HandoffConfigInput } from './schema';

/** A validated configuration, ready to hand to the middleware. */
export interface HandoffConfig {
  /** Default queue. */
  queueId?: string;
  triggers: EscalationTrigger[];
  routing: RoutingRule[];
  /** Message texts by id, plain or per locale. */
  messages?: Record<string, string | Record<string, string>>;
  /** Phrases that end a handoff, per locale (`default` for all). */
  cancelPhrases?: Record<string, string[]>;
  /** Opening hours checked before every escalation. */
  availability?: WeeklyScheduleInput;
  /** The leave-a-message path when closed. */
  leaveMessage?: { queueId: string; note?: string; windowSeconds?: number };
  /** Waiting-room updates and the maximum wait, in seconds. */
  waitingRoom?: { updateEverySeconds?: number; maxWaitSeconds?: number; onMaxWait?: 'offer' | 'return' };
  /** Customer silence before a reminder, and before the end, in seconds. */
  inactivity?: { remindAfterSeconds: number; endAfterSeconds: number };
  /** How long after an end the same user's escalation reopens the 8x8 conversation, in seconds. */
  reopenWindowSeconds?: number;
  /** Hand-back through 8x8's post-agent assignment after each create. */
  postAgentAssignment?: { webhookId: string; maxTotalMinutes?: number; userTimeoutInMinutes?: number };
}

/** Thrown by {@link loadHandoffConfig}: a {@link ConfigurationError} listing every problem. */
export class HandoffConfigError extends ConfigurationError {
  /** Every problem found, in document order. */
  readonly problems: ConfigProblem[];

  constructor(problems: ConfigProblem[], source: string) {
    const first = problems[0]!;
    super(first.path || '(root)', first.problem, first.fix);
    this.problems = problems;
    const lines = problems.map((p) => `  - \`${p.path || '(root)'}\` ${p.problem}. ${p.fix}`);
    this.message = `Invalid handoff configuration${source} (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${lines.join('\n')}`;
  }
}

function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigurationError('config file', `cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, 'Check the path; relative paths resolve from the working directory');
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ConfigurationError('config file', `${file} is not valid JSON (${(err as Error).message})`, 'Fix the JSON syntax (no comments or trailing commas)');
  }
}

function buildTriggers(input: HandoffConfigInput): EscalationTrigger[] {
  const t = input.triggers ?? {};
  const out: EscalationTrigger[] = [];
  if (t.keywords) out.push(keywords(t.keywords));
  if (t.patterns) out.push(pattern(t.patterns));
  for (const entry of t.intents ?? []) {
    out.push(typeof entry === 'string' ? intent(entry) : intent(entry.intent, { minScore: entry.minScore, queueId: entry.queueId }));
  }
  if (t.handoffInitiate) out.push(handoffInitiate(t.handoffInitiate === true ? {} : t.handoffInitiate));
  if (t.repeatedFallback !== undefined) out.push(repeatedFallback(t.repeatedFallback));
  return out;
}

/**
 * Validates a configuration object, or reads and validates the JSON file at the given path.
 * Throws a {@link HandoffConfigError} naming each bad field and its fix.
 */
export function loadHandoffConfig(input: unknown): HandoffConfig {
  const source = typeof input === 'string' ? ` in ${input}` : '';
  const raw = typeof input === 'string' ? readJsonFile(input) : input;
  const parsed = handoffConfigSchema.safeParse(raw);
  if (!parsed.success) throw new HandoffConfigError(toProblems(parsed.error.issues), source);
  const data = parsed.data;
  const config: HandoffConfig = { triggers: buildTriggers(data), routing: data.routing ?? [] };
  if (data.queueId !== undefined) config.queueId = data.queueId;
  if (data.messages !== undefined) config.messages = data.messages;
  if (data.cancelPhrases !== undefined) config.cancelPhrases = Array.isArray(data.cancelPhrases) ? { default: data.cancelPhrases } : data.cancelPhrases;
  if (data.availability !== undefined) config.availability = data.availability;
  if (data.leaveMessage !== undefined) config.leaveMessage = data.leaveMessage;
  if (data.waitingRoom !== undefined) config.waitingRoom = data.waitingRoom;
  if (data.inactivity !== undefined) config.inactivity = data.inactivity;
  if (data.reopenWindowSeconds !== undefined) config.reopenWindowSeconds = data.reopenWindowSeconds;
  if (data.postAgentAssignment !== undefined) config.postAgentAssignment = data.postAgentAssignment;
  return config;
}
