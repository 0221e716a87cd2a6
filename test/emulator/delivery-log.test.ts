import { DeliveryLog, type DeliveryRecord } from '../../src/emulator/delivery/delivery-log';

const record = (n: number): DeliveryRecord => ({
  eventId: `e${n}`, eventType: 'MESSAGE', body: '{}', event: {}, status: 'delivered', attempts: [], duplicate: false,
});

describe('DeliveryLog', () => {
  it('should keep only the newest records past its limit', () => {
    const log = new DeliveryLog(() => undefined, 3);
    for (let n = 1; n <= 5; n++) log.add(record(n));
    expect(log.all().map((r) => r.eventId)).toEqual(['e3', 'e4', 'e5']);
  });

  it('should find a copy of the oldest match, notifying on every change', () => {
    let changes = 0;
    const log = new DeliveryLog(() => void changes++);
    const added = log.add(record(1));
    log.add(record(2));
    const found = log.find((r) => r.eventId.startsWith('e'));
    expect(found).toEqual(added);
    found!.attempts.push({ retry: 0, transmissionTime: 0, durationMs: 0 });
    expect(added.attempts).toEqual([]);
    expect(changes).toBe(2);
  });
});
