// The run renders a date's digests once and stores them; a send builds its messages from them (no MJML, no child):
// the same bytes as a send that renders itself, and only while nothing they were made from has changed.
import { appendFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { setSubscriber } from '../../src/commands/subscribers.ts';
import { partsFingerprint } from '../../src/deliver/digest-parts.ts';
import { deliver } from '../../src/deliver/send.ts';
import { editionsFor } from '../../src/edition/covered.ts';
import { runOnce } from '../../src/schedule/run.ts';
import { ROOT } from '../helpers/tmp.ts';
import { DATE, maskedOutbox, setupDelivery, type DeliverySetup } from './setup.ts';

const setups: DeliverySetup[] = [];
afterEach(async () => {
  for (const s of setups.splice(0)) await s.app.close();
});

/**
 * Four readers on four selections (one weekly, due today), with topics.yaml a copy of the project's own. With
 * `run`, a run stores the parts before reader 2 picks a topic alone: their selection is not among them.
 */
async function project(run: boolean): Promise<DeliverySetup & { topicsPath: string }> {
  const w0 = await setupDelivery(0, null);
  await w0.app.close();
  const topicsPath = join(w0.proj.dir, 'topics.yaml');
  copyFileSync(join(ROOT, 'topics.yaml'), topicsPath);
  const w = await setupDelivery(4, null, { PAPERBOY_TOPICS: topicsPath });
  setups.push(w);
  setSubscriber(w.app, w.emails[1]!, { topics: 'language-models,reasoning' });
  setSubscriber(w.app, w.emails[3]!, { cadence: 'weekly', weekday: 'tuesday' });
  if (run) await runOnce(w.app, { send: false, trigger: 'cli' });
  setSubscriber(w.app, w.emails[2]!, { topics: 'reasoning' });
  return { ...w, topicsPath };
}

/** Delivers to the outbox: the messages by file name (maskedOutbox), and what the delivery logged. */
async function send(w: DeliverySetup, renderChildFrom: number) {
  const log: string[] = [];
  const report = await deliver(w.app, { date: DATE, retryDelaysMs: [], renderChildFrom, log: (l) => log.push(l) });
  expect(report.sent).toBe(4);
  return { files: maskedOutbox(w), log };
}

const storedRows = (w: DeliverySetup) => w.app.db.prepare('SELECT selection, parts FROM digest_parts WHERE date = ? ORDER BY selection').all(DATE) as { selection: string; parts: string | null }[];
/** Marks every stored digest, so a message shows whether it was built from the store. */
const tamper = (w: DeliverySetup) => w.app.db.prepare("UPDATE digest_parts SET parts = json_set(parts, '$.subject', 'from the store') WHERE parts IS NOT NULL").run();
const subjects = (files: Map<string, string>) => [...files.values()].map((raw) => /^Subject: (.*)$/m.exec(raw)![1]);

describe('digest parts stored by the run', () => {
  it('give the same messages, byte for byte, as a send that renders itself; a selection not stored is rendered', { timeout: 180_000 }, async () => {
    const here = await send(await project(false), Number.MAX_SAFE_INTEGER);
    const w = await project(true);
    expect(storedRows(w).map((r) => r.selection)).toEqual(['daily:*', 'daily:language-models,reasoning', 'weekly:*']);
    // renderChildFrom 0: the selection the run did not store (reader 2's) comes from the render child.
    const stored = await send(w, 0);
    expect(stored.log).toEqual([]);
    expect([...stored.files.keys()].sort()).toEqual([...here.files.keys()].sort());
    for (const [name, raw] of here.files) expect(stored.files.get(name), name).toBe(raw);
  });

  it('are used while fresh, and ignored once topics.yaml changed', { timeout: 180_000 }, async () => {
    const fresh = await project(true);
    tamper(fresh);
    // Every stored selection from the store, and no child forked for them (a child would have rendered the real subject).
    expect(subjects((await send(fresh, 0)).files).filter((s) => s === 'from the store')).toHaveLength(3);

    const stale = await project(true);
    tamper(stale);
    appendFileSync(stale.topicsPath, '\n# edited after the run\n');
    expect(subjects((await send(stale, Number.MAX_SAFE_INTEGER)).files)).not.toContain('from the store');
  });

  it('are keyed by the editions they cover, the base URL and the date', { timeout: 120_000 }, async () => {
    const w = await setupDelivery(0, null);
    setups.push(w);
    const editions = { daily: editionsFor(w.app.editions, DATE, 'daily'), weekly: editionsFor(w.app.editions, DATE, 'weekly') };
    const print = partsFingerprint(w.app, DATE, editions);
    expect(partsFingerprint(w.app, DATE, structuredClone(editions))).toBe(print);
    const grown = structuredClone(editions);
    grown.daily[0]!.papers.pop();
    expect(partsFingerprint(w.app, DATE, grown)).not.toBe(print);
    expect(partsFingerprint({ config: { ...w.app.config, baseUrl: 'https://elsewhere.example.org' } }, DATE, editions)).not.toBe(print);
    expect(partsFingerprint(w.app, '2026-11-25', editions)).not.toBe(print);
  });
});
