// The low-volume warning leaves fetched listings alone: they are checked whole, and a day still filling is small.
import { describe, expect, it } from 'vitest';
import type { IngestReport } from '../../src/ingest/scan.ts';
import { lowVolumeWarning } from '../../src/schedule/guards.ts';
import type { SeedFileRecord } from '../../src/store/papers.ts';

const rec = (path: string, papersParsed: number): SeedFileRecord => ({
  path,
  sha256: path,
  size: 1,
  format: 'hf-json',
  status: 'ingested',
  reason: null,
  papersParsed,
  papersNew: papersParsed,
  problems: [],
  ingestedAt: '2024-10-25T08:00:00Z',
});

const report = (files: [string, number][]): IngestReport => ({
  seedsDir: '/s',
  filesSeen: files.length,
  filesIngested: files.length,
  filesRejected: 0,
  filesKnown: 0,
  papersParsed: 0,
  papersNew: 0,
  papersDuplicate: 0,
  files: files.map(([path, parsed]) => ({ path, status: 'ingested', parsed, new: parsed, duplicate: 0 })),
});

describe('low-volume warning with live sources', () => {
  const history = [rec('a.txt', 500), rec('b.txt', 510), rec('c.txt', 520), rec('hf/2024-10-20.json', 3), rec('arxiv-cs.RO/2024-10-20.xml', 2)];
  it('is not raised for fetched files, still for a small hand-dropped one', () => {
    expect(lowVolumeWarning(report([['hf/2024-10-25.json', 4], ['arxiv-cs.RO/2024-10-24.xml', 7]]), history)).toBeNull();
    expect(lowVolumeWarning(report([['d.txt', 12]]), history)).toMatch(/median 510 per file\): d\.txt \(12\)/);
  });
});
