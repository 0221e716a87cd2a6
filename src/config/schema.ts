/**
 * The declarative handoff configuration as a zod schema. Objects are strict so a misspelt field
 * is reported instead of silently ignored.
 */
import { z } from 'zod';
import { isValidTimeZone } from '../availability/zoned-time';

const nonEmpty = z.string().trim().min(1, 'must not be empty');
const words = z.array(nonEmpty).min(1, 'must list at least one entry');
const perLocale = <T extends z.ZodType>(item: T) => z.record(z.string().min(1), item);

/** A regular expression written as a string; checked at load time. */
const regexSource = nonEmpty.superRefine((source, ctx) => {
  try {
    new RegExp(source, 'iu');
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: `is not a valid regular expression (${(err as Error).message})` });
  }
});

const properties = z.record(nonEmpty, z.string());

/** Known fields per object, also used to suggest spellings. */
export const KNOWN_FIELDS = {
  root: ['$schema', 'queueId', 'triggers', 'routing', 'messages', 'cancelPhrases', 'availability', 'leaveMessage', 'waitingRoom', 'inactivity', 'reopenWindowSeconds', 'postAgentAssignment'],
  postAgentAssignment: ['webhookId', 'maxTotalMinutes', 'userTimeoutInMinutes'],
  waitingRoom: ['updateEverySeconds', 'maxWaitSeconds', 'onMaxWait'],
  inactivity: ['remindAfterSeconds', 'endAfterSeconds'],
  leaveMessage: ['queueId', 'note', 'windowSeconds'],
  availability: ['timeZone', 'weekly', 'holidays'],
  triggers: ['keywords', 'patterns', 'intents', 'handoffInitiate', 'repeatedFallback'],
  intent: ['intent', 'minScore', 'queueId'],
  handoffInitiate: ['inbound', 'queueId'],
  rule: ['when', 'queueId', 'additionalProperties', 'language'],
  when: ['intent', 'keyword', 'pattern', 'trigger', 'language'],
} as const;

const intentEntry = z.union([nonEmpty, z.strictObject({ intent: nonEmpty, minScore: z.number().min(0).max(1).optional(), queueId: nonEmpty.optional() })]);

const triggersSchema = z.strictObject({
  keywords: z.union([words, perLocale(words)]).optional(),
  patterns: z.array(regexSource).min(1, 'must list at least one pattern').optional(),
  intents: z.array(intentEntry).min(1, 'must list at least one intent').optional(),
  handoffInitiate: z.union([z.boolean(), z.strictObject({ inbound: z.boolean().optional(), queueId: nonEmpty.optional() })]).optional(),
  repeatedFallback: z.number().int().min(1).optional(),
});

const when = z
  .strictObject({ intent: nonEmpty.optional(), keyword: nonEmpty.optional(), pattern: regexSource.optional(), trigger: nonEmpty.optional(), language: nonEmpty.optional() })
  .refine((w) => Object.values(w).some((v) => v !== undefined), { message: 'has no condition' });

const rule = z
  .strictObject({ when, queueId: nonEmpty.optional(), additionalProperties: properties.optional(), language: nonEmpty.optional() })
  .refine((r) => r.queueId !== undefined || r.additionalProperties !== undefined || r.language !== undefined, { message: 'does nothing' });

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'is not a time ("HH:MM", 00:00 to 24:00)');
const day = z.array(z.tuple([clockTime, clockTime])).optional();
const availability = z.strictObject({
  timeZone: nonEmpty.refine(isValidTimeZone, 'is not an IANA time zone'),
  weekly: z.strictObject({ sun: day, mon: day, tue: day, wed: day, thu: day, fri: day, sat: day }),
  holidays: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'is not a date ("YYYY-MM-DD")')).optional(),
});

/** The JSON shape of a handoff configuration file. */
export const handoffConfigSchema = z.strictObject({
  $schema: z.string().optional(),
  queueId: nonEmpty.optional(),
  triggers: triggersSchema.optional(),
  routing: z.array(rule).optional(),
  messages: z.record(nonEmpty, z.union([z.string(), perLocale(z.string())])).optional(),
  cancelPhrases: z.union([words, perLocale(words)]).optional(),
  availability: availability.optional(),
  leaveMessage: z.strictObject({ queueId: nonEmpty, note: nonEmpty.optional(), windowSeconds: z.number().positive().optional() }).optional(),
  waitingRoom: z
    .strictObject({ updateEverySeconds: z.number().positive().optional(), maxWaitSeconds: z.number().positive().optional(), onMaxWait: z.enum(['offer', 'return']).optional() })
    .optional(),
  inactivity: z.strictObject({ remindAfterSeconds: z.number().positive(), endAfterSeconds: z.number().positive() }).optional(),
  reopenWindowSeconds: z.number().positive().optional(),
  postAgentAssignment: z
    .strictObject({ webhookId: nonEmpty, maxTotalMinutes: z.number().int().min(20).max(600).optional(), userTimeoutInMinutes: z.number().int().min(10).max(300).optional() })
    .optional(),
});

/** The configuration as written in JSON, after validation. */
export type HandoffConfigInput = z.infer<typeof handoffConfigSchema>;
