/**
 * A port that was free a moment ago, for suites where the gateway's webhook must name the
 * sample's URL before the sample starts (a tiny race with other processes, acceptable in tests).
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import express from 'express';

/** Binds port 0 on 127.0.0.1, notes the port, and lets it go. */
export async function freePort(): Promise<number> {
  const probe = express().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
