/**
 * Change notification: the engine and the delivery log call {@link ChangeHub.notify} after every
 * state change; the console's event stream and the `waitFor...` helpers listen.
 */
import { HandoffError } from '../errors';

/** Options of the `waitFor...` helpers. */
export interface WaitOptions {
  /** Give up after this many ms. Default 5000. */
  timeoutMs?: number;
}

/** Fan-out of "something changed" to listeners. */
export class ChangeHub {
  private readonly listeners = new Set<() => void>();

  /** Registers a listener; returns the function that removes it. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Tells every listener. A throwing listener does not stop the others. */
  notify(): void {
    for (const listener of [...this.listeners]) {
      try {
        listener();
      } catch {
        // A listener's bug must not break the emulator's state changes.
      }
    }
  }

  /**
   * Resolves with the first non-undefined value of `probe`, checked now and after every change;
   * rejects with a `HandoffError` (`E_EMULATOR_TIMEOUT`) naming `what` after `timeoutMs`.
   */
  waitFor<T>(probe: () => T | undefined, what: string, options: WaitOptions = {}): Promise<T> {
    const timeoutMs = options.timeoutMs ?? 5000;
    return new Promise<T>((resolve, reject) => {
      const check = (): boolean => {
        const value = probe();
        if (value === undefined) return false;
        done();
        resolve(value);
        return true;
      };
      const timer = setTimeout(() => {
        done();
        reject(new HandoffError('E_EMULATOR_TIMEOUT', `Timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const unsubscribe = this.subscribe(() => void check());
      const done = () => {
        clearTimeout(timer);
        unsubscribe();
      };
      check();
    });
  }
}
