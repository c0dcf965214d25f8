// Line-breaking characters inside a title are whitespace: a seed file's CR, VT, FF, NEL, LS or PS becomes a space.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import { parseConfig } from '../../src/config.ts';
import { ingestSeeds } from '../../src/ingest/scan.ts';
import { tmpProject } from '../helpers/tmp.ts';

let app: App | null = null;
afterEach(async () => app?.close());

const BREAKS: [string, string][] = [
  ['CR', '\r'],
  ['VT', '\u000B'],
  ['FF', '\u000C'],
  ['NEL', '\u0085'],
  ['LS', '\u2028'],
  ['PS', '\u2029'],
];
const ABSTRACT = 'We study how injected headers survive a pipeline of mail and feed tools, and we show that they do not. The method is simple and the results are clear.';

describe('line breaks inside titles', () => {
  it('become a space in JSON and text seed files, so words never run together', () => {
    const proj = tmpProject();
    app = createApp(parseConfig(proj.env), { now: () => new Date('2026-11-20T07:00:00Z') });
    // JSON carries every one of them inside a title string (a bare CR included).
    const items = BREAKS.map(([name, ch], i) => ({
      paper: { id: `2501.0000${i}`, title: `Header item ${name})${ch}X-Injected: 1`, summary: `${ABSTRACT} ${name}.` },
    }));
    writeFileSync(join(proj.seedsDir, 'api.json'), JSON.stringify(items));
    // A text dump: a CR there is a line end (old Mac files), so the others stand inside the line.
    const text = BREAKS.filter(([name]) => name !== 'CR')
      .map(([name, ch]) => `Dump item ${name})${ch}Words Apart\n\n${ABSTRACT} Dump ${name}.\n`)
      .join('\n');
    writeFileSync(join(proj.seedsDir, 'dump.txt'), `Daily Papers\n\n${text}`);
    const report = ingestSeeds({ seedsDir: proj.seedsDir, papers: app.papers, now: app.now });
    expect(report).toMatchObject({ filesIngested: 2, filesRejected: 0, papersNew: 11 });
    const titles = app.papers.list().map((p) => p.title).sort();
    expect(titles).toEqual(
      [
        ...BREAKS.map(([name]) => `Header item ${name}) X-Injected: 1`),
        ...BREAKS.filter(([name]) => name !== 'CR').map(([name]) => `Dump item ${name}) Words Apart`),
      ].sort(),
    );
  });
});
