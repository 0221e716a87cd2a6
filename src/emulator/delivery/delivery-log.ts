/**
 * The inspectable record of every webhook delivery: one entry per event (and one more per
 * injected duplicate), with every attempt's retry counter, time and outcome.
 */

/** One HTTP attempt of a delivery. */
export interface DeliveryAttempt {
  /** The `x-8x8-retry` value sent. */
  retry: number;
  /** The `x-8x8-transmission-time` value sent (epoch ms). */
  transmissionTime: number;
  /** The receiver's HTTP status, when it answered. */
  status?: number;
  /** Why the attempt failed without a status (timeout, connection refused). */
  error?: string;
  durationMs: number;
}

/** Where a delivery is: in flight, acknowledged with 2xx, given up, or not sent (no webhook). */
export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'skipped';

/** One event's delivery. */
export interface DeliveryRecord {
  /** The `x-8x8-event-id`, the same on every attempt and on a duplicate. */
  eventId: string;
  eventType: string;
  /** Absent for `WEB_HOOK_VERIFY`. */
  conversationId?: string;
  /** The target URI, once known. */
  uri?: string;
  /** The exact body sent. */
  body: string;
  /** The body, parsed. */
  event: Record<string, unknown>;
  status: DeliveryStatus;
  attempts: DeliveryAttempt[];
  /** True for the second copy injected by the `duplicate` fault. */
  duplicate: boolean;
}

/** Records kept; older ones are forgotten so a long-running emulator (`npm start`) stays bounded. */
export const DELIVERY_LOG_LIMIT = 10_000;

const copy = (r: DeliveryRecord): DeliveryRecord => ({ ...r, attempts: [...r.attempts] });

/** The log; `onChange` fires after every update so waiters and the console can react. */
export class DeliveryLog {
  private readonly records: DeliveryRecord[] = [];

  constructor(
    private readonly onChange: () => void,
    private readonly limit = DELIVERY_LOG_LIMIT,
  ) {}

  /** Appends a record, forgetting the oldest past the limit. */
  add(record: DeliveryRecord): DeliveryRecord {
    this.records.push(record);
    if (this.records.length > this.limit) this.records.splice(0, this.records.length - this.limit);
    this.onChange();
    return record;
  }

  /** A copy of the oldest record matching `predicate`, without copying the whole log. */
  find(predicate: (record: DeliveryRecord) => boolean): DeliveryRecord | undefined {
    const found = this.records.find(predicate);
    return found && copy(found);
  }

  /** Signals that a record was updated in place. */
  touched(): void {
    this.onChange();
  }

  /** A copy of every record kept, oldest first. */
  all(): DeliveryRecord[] {
    return this.records.map(copy);
  }
}
