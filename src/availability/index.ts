/**
 * Availability before escalation: opening hours, 8x8's Tenant Schedule and real-time queue
 * statistics, as checks the middleware runs before it creates an 8x8 conversation.
 */
import { compileSchedule, isOpenAt, nextOpening, type WeeklyScheduleInput } from './weekly-schedule';
import type { AvailabilityCheck } from './types';

export { combineAvailability } from './types';
export type { AvailabilityCheck, AvailabilityErrorReport, AvailabilityFallback, AvailabilityQuery, AvailabilityVerdict, AvailableVerdict, UnavailableVerdict } from './types';
export { compileSchedule, isOpenAt, nextOpening, WEEKDAY_KEYS } from './weekly-schedule';
export type { WeekdayKey, WeeklySchedule, WeeklyScheduleInput } from './weekly-schedule';
export { tenantScheduleAvailability, type TenantScheduleOptions } from './tenant-schedule';
export { queueStatsAvailability, type QueueStatsOptions } from './queue-stats';

/**
 * An {@link AvailabilityCheck} from opening hours. Validates at once (throws `ConfigurationError`
 * naming the field), and reports the next opening when closed.
 */
export function scheduleAvailability(input: WeeklyScheduleInput, option = 'availability'): AvailabilityCheck {
  const schedule = compileSchedule(input, option);
  return ({ now }) => (isOpenAt(schedule, now) ? { open: true } : { open: false, reason: 'closed', nextOpening: nextOpening(schedule, now), timeZone: schedule.timeZone });
}
