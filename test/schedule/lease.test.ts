// The run lease in a real SQLite file: one holder across connections, expiry, renewal, release.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDb } from '../../src/store/db.ts';
import { leasesRepo } from '../../src/store/leases.ts';
import { tmpProject } from '../helpers/tmp.ts';

describe('leases', () => {
  it('blocks a second holder until the first releases or expires', () => {
    const proj = tmpProject();
    const path = join(proj.dataDir, 'paperboy.db');
    // Two connections stand for two processes sharing the file.
    const a = leasesRepo(openDb(path));
    const b = leasesRepo(openDb(path));
    const t0 = new Date('2026-11-24T07:00:00Z');
    expect(a.acquire('run', 'A', t0, 60_000)).toBe(true);
    expect(b.acquire('run', 'B', new Date(t0.getTime() + 1000), 60_000)).toBe(false);
    expect(b.holder('run')?.holder).toBe('A');
    // The holder renews its own lease.
    expect(a.acquire('run', 'A', new Date(t0.getTime() + 30_000), 60_000)).toBe(true);
    expect(b.acquire('run', 'B', new Date(t0.getTime() + 61_000), 60_000)).toBe(false);
    // A dead holder's lease expires.
    expect(b.acquire('run', 'B', new Date(t0.getTime() + 91_000), 60_000)).toBe(true);
    b.release('run', 'A'); // not A's any more: nothing happens
    expect(a.holder('run')?.holder).toBe('B');
    b.release('run', 'B');
    expect(a.acquire('run', 'A', new Date(t0.getTime() + 92_000), 60_000)).toBe(true);
  });
});
