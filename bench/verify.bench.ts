/**
 * Micro-benchmarks of the webhook's per-event CPU costs (RELIABILITY.md P4): the full
 * `verifyWebhookSignature` with a warm key cache (RS256 2048), CRC32 of the raw body, and
 * `parseGatewayEvent` (zod) on already-parsed JSON. Each figure is time-boxed (~1.5 s).
 */
import { createPublicKey, verify as cryptoVerify, sign as cryptoSign, generateKeyPairSync } from 'node:crypto';
import zlib from 'node:zlib';
import { FlattenedSign, flattenedVerify } from 'jose';
import { parseGatewayEvent } from '../src/webhook/events';
import { webhookChecksum } from '../src/webhook/signature';
import { verifyWebhookSignature } from '../src/webhook/verify';
import { createBenchKeys, largeBody, messageBody, signShots } from './support/fixtures';
import { microBench, type MicroResult } from './support/micro';
import { fmt, mainIfEntry, type Row, type Section } from './support/section';

function row(result: MicroResult, target?: { text: string; maxUs: number }): Row {
  return {
    metric: result.name,
    value:
      `${fmt(result.cpuUs, 'us')} CPU/op; wall ${fmt(result.meanUs, 'us')} mean, ${fmt(result.p99Us, 'us')} p99` +
      `${result.batch > 1 ? ` (batches of ${result.batch})` : ''}; ${result.opsPerSec.toLocaleString('en-US')} ops/s`,
    target: target?.text,
    // The cost is CPU time: wall time on this shared machine also counts other processes' slices.
    meets: target ? result.cpuUs <= target.maxUs : undefined,
  };
}

async function verifyCost(body: Buffer, name: string): Promise<MicroResult> {
  const keys = await createBenchKeys();
  const [shot] = await signShots(keys, [body], { eventIdPrefix: 'verify' });
  const deps = { keySource: keys.keySource };
  const input = { headers: shot!.headers, rawBody: shot!.body };
  const check = await verifyWebhookSignature(input, deps);
  if (!check.ok) throw new Error(`bench setup: the signed delivery did not verify (${check.reason})`);
  const result = await microBench(name, () => verifyWebhookSignature(input, deps));
  if (keys.fetches.length !== 1) throw new Error(`key cache was not warm: ${keys.fetches.length} fetches`);
  return result;
}

/** The floor: one RS256 (2048) verify through node:crypto, no JWS handling, synchronous. */
async function rawRsaVerify(): Promise<MicroResult> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const data = Buffer.from('{"checksum":2162610605,"cid":"vccBenchTenant","eid":"e-1","retry":0,"tid":"vccBenchTenant","tt":1713100000000}');
  const signature = cryptoSign('sha256', data, privateKey);
  const key = createPublicKey(publicKey.export({ format: 'pem', type: 'spki' }));
  return microBench('node:crypto RS256 verify alone (floor, comparison)', () => cryptoVerify('sha256', data, key, signature), { batch: 10 });
}

/** jose's `flattenedVerify` alone on the same kind of payload: the share of the cost that is jose. */
async function joseVerify(): Promise<MicroResult> {
  const keys = await createBenchKeys();
  const payload = '{"checksum":2162610605,"cid":"vccBenchTenant","eid":"e-1","retry":0,"tid":"vccBenchTenant","tt":1713100000000}';
  const jws = await new FlattenedSign(new TextEncoder().encode(payload)).setProtectedHeader({ alg: 'RS256', kid: keys.kid, b64: false, crit: ['b64'] }).sign(keys.privateKey);
  const key = (await keys.keySource.getKey(keys.kid))!;
  const input = { protected: jws.protected, payload, signature: jws.signature };
  return microBench('jose flattenedVerify alone (comparison)', () => flattenedVerify(input, key, { algorithms: ['RS256'] }));
}

/** Runs the micro-benchmarks. */
export async function run(): Promise<Section> {
  const small = messageBody('ID-0a1b2c3', 1);
  const large = largeBody();
  const smallJson: unknown = JSON.parse(small.toString('utf8'));
  const largeJson: unknown = JSON.parse(large.toString('utf8'));
  const p4 = { text: 'P4 <= 100 us/event', maxUs: 100 };
  const results = {
    verifySmall: await verifyCost(small, `verifyWebhookSignature, ${small.length} B body (warm key cache, RS256 2048)`),
    verifyLarge: await verifyCost(large, `verifyWebhookSignature, ${large.length} B body`),
    joseVerify: await joseVerify(),
    rsaVerifyFloor: await rawRsaVerify(),
    crcSmall: await microBench(`webhookChecksum (crc-32), ${small.length} B`, () => webhookChecksum(small), { batch: 1000 }),
    crcLarge: await microBench(`webhookChecksum (crc-32), ${large.length} B`, () => webhookChecksum(large), { batch: 1000 }),
    zlibCrcSmall: await microBench(`zlib.crc32 (comparison), ${small.length} B`, () => zlib.crc32(small), { batch: 1000 }),
    zlibCrcLarge: await microBench(`zlib.crc32 (comparison), ${large.length} B`, () => zlib.crc32(large), { batch: 1000 }),
    parseMessage: await microBench('parseGatewayEvent, MESSAGE (parsed JSON in)', () => parseGatewayEvent(smallJson), { batch: 100 }),
    parseLarge: await microBench(`parseGatewayEvent, CONVERSATION_UPDATE ${large.length} B`, () => parseGatewayEvent(largeJson), { batch: 20 }),
    jsonParseAndEvent: await microBench(`JSON.parse + parseGatewayEvent, ${small.length} B`, () => parseGatewayEvent(JSON.parse(small.toString('utf8'))), { batch: 100 }),
  };
  if (parseGatewayEvent(smallJson).kind !== 'event' || parseGatewayEvent(largeJson).kind !== 'event') throw new Error('bench setup: fixtures do not parse');
  const rows: Row[] = [row(results.verifySmall, p4), row(results.verifyLarge, p4), ...Object.values(results).slice(2).map((r) => row(r))];
  return {
    id: 'verify',
    title: 'Per-event CPU cost (micro-benchmarks)',
    rows,
    figures: { bodyBytes: { small: small.length, large: large.length }, ...results },
    notes: [
      'verifyWebhookSignature is the whole check: header parsing, freshness, JWS header parsing, key lookup, CRC32, signed payload, RS256 verify.',
      'CRC32 and parse figures are per operation, timed in batches; p99 is over batches.',
      'The P4 verdict uses CPU time per operation (process.cpuUsage): on a shared machine, wall time also counts time the OS gave to other processes.',
    ],
  };
}

mainIfEntry(module, run);
