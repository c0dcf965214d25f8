// A large delivery's templates come from a child process (MJML stays out of the sender): the messages are the bytes
// the sender would have rendered itself, and a child that fails leaves the sender to render them.
import { afterEach, describe, expect, it } from 'vitest';
import { setSubscriber } from '../../src/commands/subscribers.ts';
import { startRenderChild } from '../../src/deliver/render-prefetch.ts';
import { deliver } from '../../src/deliver/send.ts';
import { DATE, maskedOutbox, setupDelivery, type DeliverySetup } from './setup.ts';

const setups: DeliverySetup[] = [];
afterEach(async () => {
  for (const s of setups.splice(0)) await s.app.close();
});

/** Four readers on three selections (two spell theirs in another order; one weekly, due today), delivered to the outbox. */
async function sent(renderChildFrom: number): Promise<{ files: Map<string, string>; log: string[] }> {
  const w = await setupDelivery(4, null);
  setups.push(w);
  setSubscriber(w.app, w.emails[1]!, { topics: 'language-models,reasoning' });
  setSubscriber(w.app, w.emails[2]!, { topics: 'reasoning,language-models' });
  setSubscriber(w.app, w.emails[3]!, { cadence: 'weekly', weekday: 'tuesday' });
  const log: string[] = [];
  const report = await deliver(w.app, { date: DATE, retryDelaysMs: [], renderChildFrom, log: (l) => log.push(l) });
  expect(report.sent).toBe(4);
  return { files: maskedOutbox(w), log };
}

describe('the render child', () => {
  it('renders the same messages, byte for byte, as the sender does itself', { timeout: 120_000 }, async () => {
    const here = await sent(Number.MAX_SAFE_INTEGER);
    const child = await sent(0);
    expect(child.log).toEqual([]);
    expect([...child.files.keys()].sort()).toEqual([...here.files.keys()].sort());
    for (const [name, raw] of here.files) expect(child.files.get(name), name).toBe(raw);
  });

  it('that dies answers null (the sender renders instead), and says so', { timeout: 120_000 }, async () => {
    const w = await setupDelivery(1, null);
    setups.push(w);
    const log: string[] = [];
    const child = startRenderChild(w.app, DATE, (l) => log.push(l));
    process.kill(child.pid!, 'SIGKILL');
    expect(await child.templates(['daily:*'])).toBeNull();
    expect(log).toEqual([expect.stringMatching(/^paperboy: the render child failed \(.+\); rendering in the sender$/)]);
  });

  it('that hangs is given up after its wait (SIGSTOP), so a delivery is never held forever', { timeout: 120_000 }, async () => {
    const w = await setupDelivery(1, null);
    setups.push(w);
    const log: string[] = [];
    const child = startRenderChild(w.app, DATE, (l) => log.push(l), { waitMs: 1500 });
    process.kill(child.pid!, 'SIGSTOP');
    expect(await child.templates(['daily:*'])).toBeNull();
    expect(log).toEqual([expect.stringMatching(/^paperboy: the render child failed \(no (start|reply) in 2 s\); rendering in the sender$/)]);
    // Given up means gone: SIGKILL ends even a stopped process.
    await new Promise((r) => setTimeout(r, 200));
    expect(() => process.kill(child.pid!, 0)).toThrow();
  });

  it('stops waiting when the delivery is stopped', { timeout: 120_000 }, async () => {
    const w = await setupDelivery(1, null);
    setups.push(w);
    const log: string[] = [];
    const stop = new AbortController();
    const child = startRenderChild(w.app, DATE, (l) => log.push(l), { signal: stop.signal });
    process.kill(child.pid!, 'SIGSTOP');
    setTimeout(() => stop.abort(), 300);
    expect(await child.templates(['daily:*'])).toBeNull();
    expect(log).toEqual([expect.stringMatching(/the render child failed \(the delivery was stopped\)/)]);
  });
});
