// "Picked for you" in delivered digests: interests set by the CLI's functions, picks with reasons for that reader only,
// everyone else's digest unchanged.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import { addSubscriber, setSubscriber } from '../../src/commands/subscribers.ts';
import { deliver } from '../../src/deliver/send.ts';
import { interestsRepo } from '../../src/store/interests.ts';
import { DATE, setupDelivery, type DeliverySetup } from '../deliver/setup.ts';

let w: DeliverySetup | null = null;
afterEach(async () => {
  await w?.app.close();
  w = null;
});

const outbox = (s: DeliverySetup) => {
  const dir = join(s.app.config.dataDir, 'outbox', DATE);
  return readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8'));
};

describe('Picked for you in the digest', () => {
  it('opens the digest of a reader with interests, with reasons and feedback links; others get theirs unchanged', async () => {
    w = await setupDelivery(2, null);
    const [reader, other] = w.emails as [string, string];
    expect(setSubscriber(w.app, reader, { keywords: 'one-step diffusion, distillation' })).toContain('keywords one-step diffusion, distillation');
    await deliver(w.app, { date: DATE, retryDelaysMs: [] });
    const mails = await Promise.all(outbox(w).map((raw) => simpleParser(raw)));
    const mine = mails.find((m) => m.text!.includes(`This copy went to:\n${reader}`))!;
    const theirs = mails.find((m) => m.text!.includes(`This copy went to:\n${other}`))!;

    expect(mine.text).toMatch(/PICKED FOR YOU · \d/);
    expect(mine.text).toMatch(/matches: one-step diffusion/);
    expect(mine.html).toContain('Picked for you');
    expect(mine.html).toMatch(/href="https:\/\/papers\.example\.org\/feedback\/[\w.-]+\/[\w.%-]+\/more"/);
    // Picks come before the first topic section in both parts.
    expect(mine.text!.indexOf('PICKED FOR YOU')).toBeLessThan(mine.text!.indexOf('=====', mine.text!.indexOf('PICKED FOR YOU') + 40));

    expect(theirs.html).not.toContain('Picked for you');
    expect(theirs.text).not.toContain('PICKED FOR YOU');
    expect(theirs.html).not.toContain('%%PB');
    expect(theirs.text).not.toContain('%%PB');
    // Without the picks block and the recipient's own values, both readers got the same digest.
    const strip = (s: string, email: string) =>
      s
        .replace(/PICKED FOR YOU[\s\S]*?Your page and private feed: \S+\n\n/, '')
        .replaceAll(email, 'EMAIL')
        .replace(/\/(unsubscribe|preferences|my)\/[\w.-]+/g, '/$1/T');
    expect(strip(mine.text!, reader)).toBe(strip(theirs.text!, other));
    const stripHtml = (s: string, email: string) =>
      s
        .replace(/<h2 id="picked-for-you"[\s\S]*?your page and private feed<\/a><\/div>\n/, '')
        .replaceAll(email, 'EMAIL')
        .replace(/\/(unsubscribe|preferences|my)\/[\w.-]+/g, '/$1/T');
    expect(stripHtml(mine.html as string, reader)).toBe(stripHtml(theirs.html as string, other));
  });

  it('stores interests from `subscribers add` and `set`; "" clears a list; a bad follow is refused', async () => {
    w = await setupDelivery(0, null);
    const out = JSON.parse(await addSubscriber(w.app, 'new@example.org', { active: true, keywords: 'tactile sensing, robot grasping', follow: 'arXiv:2410.17243v2 https://arxiv.org/abs/2501.00001', authors: 'Ada Lovelace; Grace Hopper', json: true }));
    expect(out.interests).toEqual({ keywords: ['tactile sensing', 'robot grasping'], follows: ['2410.17243', '2501.00001'], authors: ['Ada Lovelace', 'Grace Hopper'] });
    const id = w.app.subscribers.findByEmail('new@example.org')!.id;
    setSubscriber(w.app, 'new@example.org', { keywords: '' , cadence: 'weekly' });
    expect(interestsRepo(w.app.db).get(id)).toEqual({ keywords: [], follows: ['2410.17243', '2501.00001'], authors: ['Ada Lovelace', 'Grace Hopper'] });
    expect(w.app.subscribers.get(id)!.cadence).toBe('weekly');
    expect(() => setSubscriber(w!.app, 'new@example.org', { follow: 'not-a-paper' })).toThrow(/--follow: not an arXiv id/);
    expect(() => setSubscriber(w!.app, 'nobody@example.org', { keywords: 'x' })).toThrow(/no subscriber/);
    setSubscriber(w.app, 'new@example.org', { follow: '', authors: '' });
    expect(interestsRepo(w.app.db).hasAny(id)).toBe(false);
  });
});
