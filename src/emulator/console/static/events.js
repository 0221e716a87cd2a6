// The live connection: an EventSource on /console/api/events with `snapshot` events.

/**
 * Connects and keeps connecting. `onSnapshot(snapshot)` runs for every snapshot; `onStatus(status)`
 * reports 'connecting' | 'live' | 'lost'. Returns `{ close() }`.
 */
export function connectEvents(url, { onSnapshot, onStatus }) {
  let source;
  let retryTimer;
  let delay = 1000;
  let closed = false;

  function open() {
    onStatus('connecting');
    source = new EventSource(url);
    source.addEventListener('snapshot', (event) => {
      delay = 1000;
      onStatus('live');
      onSnapshot(JSON.parse(event.data));
    });
    source.addEventListener('error', () => {
      if (closed) return;
      onStatus('lost');
      // EventSource retries dropped connections by itself; it gives up (CLOSED) only on a bad
      // response, e.g. while the emulator restarts behind a proxy. Then retry with backoff.
      if (source.readyState === EventSource.CLOSED) {
        clearTimeout(retryTimer);
        retryTimer = setTimeout(open, delay);
        delay = Math.min(delay * 2, 15000);
      }
    });
  }

  open();
  return {
    close() {
      closed = true;
      clearTimeout(retryTimer);
      source.close();
    },
  };
}
