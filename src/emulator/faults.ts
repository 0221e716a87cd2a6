/**
 * Fault injection: what a test can make the emulator do wrong, on purpose. The object is live:
 * tests change `emulator.faults` between steps and the next request or delivery sees it.
 */
import { ConfigurationError } from '../errors';

/** Answer matching API requests with an HTTP error instead of handling them. */
export interface ApiErrorFault {
  /** HTTP method to match (any when omitted). */
  method?: string;
  /** A RegExp tested against the request path, or a string the path must contain. */
  path: RegExp | string;
  /** The status to answer, e.g. 500, 503, 429. The body has 8x8's shape for that status. */
  status: number;
  /** How many matching requests fail; decremented on each. Default 1; `Infinity` for all. */
  times?: number;
  /** Extra response headers, e.g. `{ 'retry-after': '1' }`. */
  headers?: Record<string, string>;
}

/** Faults of webhook delivery. */
export interface DeliveryFaults {
  /** Deliver every event twice, with the same event id (the second copy after the first settles). */
  duplicate?: boolean;
  /** Wait this long before each event's first attempt. */
  delayMs?: number;
  /**
   * Wait a random time in [0, jitterMs) before each event. Order inside a conversation is kept;
   * events of different conversations get reordered.
   */
  jitterMs?: number;
}

/** Every fault the emulator can inject. */
export interface EmulatorFaults {
  /** HTTP errors from the API. */
  apiErrors?: ApiErrorFault[];
  /** Delay every API request by this many ms before it is handled. */
  apiDelayMs?: number;
  /**
   * Handle every API request at once but hold its response this many ms: the "8x8 acted, the
   * answer was lost" case (a client timing out on create still gets its conversation queued).
   */
  apiResponseDelayMs?: number;
  /** Webhook delivery faults. */
  delivery?: DeliveryFaults;
}

/** Rejects malformed faults at start-up. */
export function validateFaults(faults: EmulatorFaults): void {
  for (const [i, fault] of (faults.apiErrors ?? []).entries()) {
    if (!(fault.path instanceof RegExp) && typeof fault.path !== 'string') {
      throw new ConfigurationError(`faults.apiErrors[${i}].path`, 'must be a RegExp or a string', 'Pass e.g. /\\/messages$/.');
    }
    if (!Number.isInteger(fault.status) || fault.status < 400 || fault.status > 599) {
      throw new ConfigurationError(`faults.apiErrors[${i}].status`, `${String(fault.status)} is not an HTTP error status`, 'Pass a status from 400 to 599.');
    }
  }
}

/** Finds the first fault matching a request and uses one of its `times`; undefined when none. */
export function takeApiFault(faults: EmulatorFaults, method: string, path: string): ApiErrorFault | undefined {
  const fault = (faults.apiErrors ?? []).find((f) => {
    if ((f.times ?? 1) <= 0) return false;
    if (f.method && f.method.toUpperCase() !== method.toUpperCase()) return false;
    return typeof f.path === 'string' ? path.includes(f.path) : f.path.test(path);
  });
  if (fault) fault.times = (fault.times ?? 1) - 1;
  return fault;
}
