// Bytes that are not valid text cost at most the paper they sit in, never the file: real files on disk, every format.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import { parseConfig } from '../../src/config.ts';
import { ingestSeeds } from '../../src/ingest/scan.ts';
import { cli, FIXTURES, tmpProject } from '../helpers/tmp.ts';

let app: App | null = null;
afterEach(async () => app?.close());

const utf8 = (s: string) => Buffer.from(s, 'utf8');
/** Replaces the first occurrence of `marker` in `text` with the raw bytes given. */
const withBytes = (text: string, marker: string, bytes: number[]) => {
  const at = Buffer.byteLength(text.slice(0, text.indexOf(marker)), 'utf8');
  const whole = utf8(text.replace(marker, ''));
  return { bytes: Buffer.concat([whole.subarray(0, at), Buffer.from(bytes), whole.subarray(at)]), offset: at };
};

const DUMP = [
  'Daily Papers',
  'by AK and the research community',
  'Sparse Attention for Long Contexts',
  'We study sparse attention. It is fast.',
  'A Model of Résumé Parsing',
  'We parse résumés with a model@@. It works well.',
  'Broken@@ Title Here',
  'An abstract for the broken title. It is fine.',
  'Quantized Diffusion Models',
  'We quantize diffusion models to four bits. Quality holds.',
  '',
].join('\n');

function setup() {
  const proj = tmpProject();
  let t = Date.parse('2026-11-20T07:00:00Z');
  app = createApp(parseConfig(proj.env), { now: () => new Date((t += 1000)) });
  const a = app;
  return { proj, app: a, ingest: () => ingestSeeds({ seedsDir: proj.seedsDir, papers: a.papers, now: a.now }) };
}

describe('ingest of bytes that are not valid text', () => {
  it('a UTF-8 dump with broken bytes keeps every paper but the one whose title broke, and names file, line and offset', () => {
    const { proj, app: a, ingest } = setup();
    // A lone Latin-1 é in an abstract, in a file that has real UTF-8 (résumé), and 0xFF in a title.
    const [head, middle, tail] = DUMP.split('@@') as [string, string, string];
    writeFileSync(join(proj.seedsDir, 'day.txt'), Buffer.concat([utf8(head), Buffer.from([0xe9]), utf8(middle), Buffer.from([0xff]), utf8(tail)]));
    const r = ingest();
    const f = r.files[0]!;
    expect(f).toMatchObject({ path: 'day.txt', status: 'ingested', parsed: 3, new: 3 });
    expect(f.decoding).toBe(`2 bytes not valid UTF-8 (first at line 6, byte offset ${utf8(head).length}) read as U+FFFD; a paper whose title holds one is skipped`);
    expect(f.problems).toEqual([{ line: 7, message: 'title holds a character that could not be decoded (U+FFFD); paper skipped' }]);
    expect(a.papers.find('A Model of Résumé Parsing')!.abstract).toBe('We parse résumés with a model. It works well.');
    expect(a.papers.find('Quantized Diffusion Models')).toBeTruthy();
    // The note stays with the file in the store, after the run's report is gone.
    expect(a.papers.seedFiles()[0]).toMatchObject({ status: 'ingested', reason: f.decoding });
  });

  it('a valid file whose source wrote U+FFFD in a title keeps the paper (only a byte the file lost costs one)', () => {
    const { proj, app: a, ingest } = setup();
    // Scraped listings carry an upstream "\uFFFD" now and then: correctly encoded, it is text, not a lost byte.
    writeFileSync(join(proj.seedsDir, 'day.txt'), utf8('Daily Papers\nSchr\uFFFDdinger Bridges for Generative Models\nWe build bridges. They work.\n'));
    writeFileSync(join(proj.seedsDir, 'day.json'), JSON.stringify([{ paper: { id: '2501.00001', title: 'A \uFFFD Marked Title for Agents', summary: 'We mark titles. It helps.' } }]));
    const r = ingest();
    for (const f of r.files) expect(f, f.path).toMatchObject({ status: 'ingested', new: 1, problems: [] });
    expect(r.files.every((f) => f.decoding === undefined)).toBe(true);
    expect(a.papers.find('Schrdinger Bridges for Generative Models')).toBeTruthy();
    expect(a.papers.find('A Marked Title for Agents')).toBeTruthy();
  });

  it('a file saved as Latin-1 (no UTF-8 character in it) is read as Windows-1252, losing nothing', () => {
    const { proj, app: a, ingest } = setup();
    writeFileSync(join(proj.seedsDir, 'latin1.txt'), Buffer.from('Daily Papers\nCaf\xe9 Models for Na\xefve Agents\nAn abstract about caf\xe9s \x96 and more.\n', 'latin1'));
    const f = ingest().files[0]!;
    expect(f).toMatchObject({ status: 'ingested', new: 1, problems: [] });
    expect(f.decoding).toBe('not UTF-8: 4 bytes above ASCII (first at line 2, byte offset 16) and no UTF-8 character, so read as Windows-1252 (Latin-1)');
    expect(a.papers.find('Café Models for Naïve Agents')!.abstract).toBe('An abstract about cafés – and more.');
  });

  it('a Latin-1 file with a byte pair that happens to be valid UTF-8 is still read as Latin-1, losing no title', () => {
    const { proj, app: a, ingest } = setup();
    // "É’" is C9 92 in Windows-1252, and also the UTF-8 of U+0252: one lucky pair among many Latin-1 accents.
    const text = 'Daily Papers\n\xc9\x92 Caf\xe9 Models for Na\xefve Agents\nAn abstract about caf\xe9s and d\xe9j\xe0 vu.\nR\xe9sum\xe9 Parsing at Scale\nWe parse r\xe9sum\xe9s. It works.\n';
    writeFileSync(join(proj.seedsDir, 'latin1.txt'), Buffer.from(text, 'latin1'));
    const f = ingest().files[0]!;
    expect(f).toMatchObject({ status: 'ingested', new: 2, problems: [] });
    expect(f.decoding).toMatch(/^not UTF-8: 9 bytes above ASCII \(first at line 2, byte offset 19\) and only 1 sequence that read as UTF-8, so read as Windows-1252 \(Latin-1\)$/);
    expect(a.papers.find('É’ Café Models for Naïve Agents')).toBeTruthy();
    expect(a.papers.find('Résumé Parsing at Scale')!.abstract).toBe('We parse résumés. It works.');
  });

  it('JSON, arXiv Atom and HTML files with a broken byte keep their other papers', () => {
    const { proj, app: a, ingest } = setup();
    // The fixtures escape every non-ASCII character; a real answer carries UTF-8, as these now do (else the
    // file has no UTF-8 character and is read as Windows-1252, see above).
    const json = readFileSync(join(FIXTURES, 'hf-daily-papers-2024-10-25.json'), 'utf8').replace('"summary":"', '"summary":"Übersicht. ');
    const firstTitle = (JSON.parse(json) as { paper: { title: string } }[])[0]!.paper.title;
    // A broken byte inside the first title's string: JSON.parse never sees it, the title is skipped, 28 stay.
    writeFileSync(join(proj.seedsDir, 'a.json'), withBytes(json, firstTitle.slice(0, 8), [...utf8(firstTitle.slice(0, 8)), 0xc3]).bytes);
    const atom = readFileSync(join(FIXTURES, 'arxiv-query-cs.RO.xml'), 'utf8').replace('<name>', '<name>Zoë ');
    writeFileSync(join(proj.seedsDir, 'b.xml'), withBytes(atom, 'Data scaling has', [0x80, ...utf8('Data scaling has')]).bytes);
    const html = `<!doctype html><html><body><article><h3><a href="/papers/2411.00001">Good Paper One</a></h3><p>Fine abstract, caf\u00e9.</p></article>
<article><h3><a href="/papers/2411.00002">Bad@@ Paper Two</a></h3><p>Its abstract.</p></article>
<article><h3><a href="/papers/2411.00003">Good Paper Three</a></h3><p>Another abstract.</p></article></body></html>`;
    writeFileSync(join(proj.seedsDir, 'c.html'), withBytes(html, '@@', [0xfe]).bytes);
    const r = ingest();
    const by = Object.fromEntries(r.files.map((f) => [f.path, f]));
    expect(by['a.json']).toMatchObject({ status: 'ingested', format: 'hf-json', parsed: 28, problems: [{ line: 1 }], decoding: expect.stringMatching(/^1 byte not valid UTF-8 \(first at line \d+, byte offset \d+\)/) });
    expect(by['b.xml']).toMatchObject({ status: 'ingested', format: 'arxiv-atom', parsed: 2, problems: [], decoding: expect.stringMatching(/^1 byte not valid UTF-8 \(first at line 15, /) });
    expect(a.papers.find('Data Scaling Laws in Imitation Learning for Robotic Manipulation')!.abstract).toMatch(/^Data scaling has revolutionized/);
    expect(by['c.html']).toMatchObject({ status: 'ingested', format: 'hf-html', parsed: 2, problems: [{ line: 2 }] });
    expect(r).toMatchObject({ filesRejected: 0, filesIngested: 3 });
  });

  it('UTF-16 with a lone surrogate is read, the broken title skipped', () => {
    const { proj, ingest } = setup();
    const text = 'Daily Papers\nFirst Good Title\nAn abstract. Done.\nSecond \uD800 Title\nIts abstract. Done.\nThird Good Title\nMore text. Done.\n';
    const body = Buffer.alloc(text.length * 2);
    for (let i = 0; i < text.length; i++) body.writeUInt16LE(text.charCodeAt(i), i * 2);
    writeFileSync(join(proj.seedsDir, 'u16.txt'), Buffer.concat([Buffer.from([0xff, 0xfe]), body]));
    const f = ingest().files[0]!;
    expect(f).toMatchObject({ status: 'ingested', parsed: 2, problems: [{ line: 4 }] });
    expect(f.decoding).toBe(`1 character not valid UTF-16LE (first at line 4, byte offset ${2 + text.indexOf('\uD800') * 2}) read as U+FFFD; a paper whose title holds one is skipped`);
  });

  it('`paperboy ingest` and `paperboy run` print one line naming the file and where', () => {
    const proj = tmpProject();
    const { bytes, offset } = withBytes(DUMP.replace('@@', ''), 'Quantized', [0x9d, ...utf8('Quantized')]);
    writeFileSync(join(proj.seedsDir, 'day.txt'), Buffer.concat([bytes, utf8('Ünïcode Title Kept\nAn abstract with real UTF-8: naïve. Done.\n')]));
    const out = cli(['ingest'], proj.env);
    expect(out.status, out.stderr).toBe(0);
    expect(out.stdout).toContain('ingested  day.txt (hf-text): 4 papers, 4 new');
    expect(out.stdout).toContain(`read leniently: 1 byte not valid UTF-8 (first at line 9, byte offset ${offset}) read as U+FFFD`);
    writeFileSync(join(proj.seedsDir, 'more.txt'), Buffer.from('Daily Papers\nNa\xefve Title\nAbstract. Done.\n', 'latin1'));
    const run = cli(['run', '--no-send'], proj.env);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout + run.stderr).toContain('seed file more.txt: not UTF-8: 1 byte above ASCII (first at line 2, byte offset 15)');
  });

  it('an arXiv Atom seed file with a broken or cut-off entry keeps the others', () => {
    const { proj, ingest } = setup();
    const atom = readFileSync(join(FIXTURES, 'arxiv-query-cs.RO.xml'), 'utf8');
    writeFileSync(join(proj.seedsDir, 'broken.xml'), atom.replace('Imitation Learning for Robotic Manipulation</title>', 'Imitation Learning</titel>'));
    writeFileSync(join(proj.seedsDir, 'cut.xml'), atom.slice(0, atom.indexOf('Videos of robots')));
    const r = ingest();
    const by = Object.fromEntries(r.files.map((f) => [f.path, f]));
    expect(by['broken.xml']).toMatchObject({ status: 'ingested', parsed: 1, problems: [{ line: 1, message: expect.stringMatching(/^entry 1 is not well-formed XML \(.+\); skipped$/) }] });
    expect(by['cut.xml']).toMatchObject({ status: 'ingested', parsed: 1, problems: [{ line: 2, message: 'entry 2 is cut off (no </entry>); skipped' }] });
    // Both files kept a different paper; the line of each is its entry's place in its file.
    expect(r.papersNew).toBe(2);
  });
});
