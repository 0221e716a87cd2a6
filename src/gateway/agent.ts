/**
 * HTTP agents that remember which sockets finished connecting. The retry policy needs to know
 * whether a failed request "provably never reached the server" (RELIABILITY.md O2): only then may
 * a non-idempotent POST be sent again. Error codes alone cannot tell a connect timeout from a read
 * timeout; the socket's history can.
 */
import http from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';

/** The agent pair a client sends through, plus the connect record. */
export interface TrackingAgents {
  httpAgent: http.Agent;
  httpsAgent: https.Agent;
  /**
   * True when the socket of `request` had connected, or when that cannot be known (`request` is not
   * a Node `ClientRequest`, e.g. a custom adapter): unknown must count as "may have reached 8x8".
   */
  connected(request: unknown): boolean;
  /** Closes pooled sockets. */
  destroy(): void;
}

/** Creates the agents; `keepAlive` pools connections between calls. */
export function createTrackingAgents(keepAlive: boolean): TrackingAgents {
  const sockets = new WeakSet<object>();
  const track = (socket: Duplex | null | undefined) => {
    if (!socket) return;
    // A pooled socket handed out again is already connected.
    if ((socket as { connecting?: boolean }).connecting === false) sockets.add(socket);
    else socket.once('connect', () => sockets.add(socket));
  };
  class TrackingHttpAgent extends http.Agent {
    override createConnection(options: http.ClientRequestArgs, cb?: (err: Error | null, s: Duplex) => void) {
      const socket = super.createConnection(options, cb && ((err, s) => { track(s); cb(err, s); }));
      track(socket);
      return socket;
    }
  }
  class TrackingHttpsAgent extends https.Agent {
    override createConnection(options: https.RequestOptions, cb?: (err: Error | null, s: Duplex) => void) {
      const socket = super.createConnection(options, cb && ((err, s) => { track(s); cb(err, s); }));
      track(socket);
      return socket;
    }
  }
  const httpAgent = new TrackingHttpAgent({ keepAlive });
  const httpsAgent = new TrackingHttpsAgent({ keepAlive });
  return {
    httpAgent,
    httpsAgent,
    connected(request) {
      if (!(request instanceof http.ClientRequest)) return request !== undefined;
      // A request still queued in the agent has no socket: it cannot have been sent.
      return request.socket ? sockets.has(request.socket) : false;
    },
    destroy() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}
