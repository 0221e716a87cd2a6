/**
 * The time ports (src/time.ts) on FakeTime: the order tasks run in, what the clock shows while they
 * run, cancelling, `sleep` and `every`. Every other fake-time test leans on these rules.
 */
import { every, realScheduler, sleep } from '../../src/time';
import { FakeTime } from './fake-time';

describe('FakeTime', () => {
  it('should run due tasks in time order (ties in scheduling order), each at its own time', async () => {
    const time = new FakeTime(1_000);
    const ran: string[] = [];
    time.after(300, () => ran.push(`c@${time.now}`));
    time.after(100, () => ran.push(`a@${time.now}`));
    time.after(100, () => ran.push(`b@${time.now}`));
    time.after(-5, () => ran.push(`now@${time.now}`));
    await time.advance(299);
    expect(ran).toEqual(['now@1000', 'a@1100', 'b@1100']);
    expect(time.now).toBe(1_299);
    expect(time.nextAt).toBe(1_300);
    await time.advance(1);
    expect(ran).toEqual(['now@1000', 'a@1100', 'b@1100', 'c@1300']);
    expect(time.scheduled).toBe(0);
  });

  it('should run a task scheduled by a task when it falls due within the same advance', async () => {
    const time = new FakeTime(0);
    const ran: number[] = [];
    time.after(10, () => time.after(10, () => ran.push(time.now)));
    await time.advance(20);
    expect(ran).toEqual([20]);
  });

  it('should not run a cancelled task, and set() moves the clock without running anything', async () => {
    const time = new FakeTime(0);
    const ran: string[] = [];
    const task = time.after(10, () => ran.push('cancelled'));
    time.after(10, () => ran.push('kept'));
    task.cancel();
    time.set(50);
    expect(ran).toEqual([]);
    expect(time.clock()).toBe(50);
    await time.advance(0);
    expect(ran).toEqual(['kept']);
  });
});

describe('sleep() and every()', () => {
  it('should resolve sleep only when its time has come', async () => {
    const time = new FakeTime(0);
    let woke = false;
    const pause = sleep(time, 500).then(() => (woke = true));
    await time.advance(499);
    expect(woke).toBe(false);
    await time.advance(1);
    await pause;
    expect(woke).toBe(true);
  });

  it('should run every interval until cancelled, and leave nothing scheduled once cancelled', async () => {
    const time = new FakeTime(0);
    const runs: number[] = [];
    const task = every(time, 100, () => runs.push(time.now));
    await time.advance(350);
    expect(runs).toEqual([100, 200, 300]);
    task.cancel();
    expect(time.scheduled).toBe(0);
    await time.advance(1_000);
    expect(runs).toEqual([100, 200, 300]);
  });

  it('should stop when a run cancels it', async () => {
    const time = new FakeTime(0);
    let runs = 0;
    const task = every(time, 10, () => {
      runs += 1;
      if (runs === 2) task.cancel(); // cancelling from inside a run stops the next one
    });
    await time.advance(100);
    expect(runs).toBe(2);
    expect(time.scheduled).toBe(0);
  });

  it('should run a task on the real scheduler', async () => {
    await new Promise<void>((resolve) => realScheduler.after(0, resolve, { background: true }));
    await sleep(realScheduler, 0);
  });
});
