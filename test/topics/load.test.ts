// topics.yaml from disk: a byte that is not UTF-8 is one warning line (file, line, byte offset), never a stopped run.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classify } from '../../src/topics/classify.ts';
import { loadTopics } from '../../src/topics/load.ts';
import { cli, tmpProject } from '../helpers/tmp.ts';

const HEAD = 'topics:\n  - slug: ssm\n    name: State space models\n    keywords: [state space, Mamba]\n';
// Line 7 holds "Schrödinger" saved by a Latin-1 editor: ö is the lone byte 0xF6.
const BROKEN = Buffer.concat([
  Buffer.from(`${HEAD}  - slug: quantum\n    name: Quantum\n    keywords: [Schr`),
  Buffer.from([0xf6]),
  Buffer.from('dinger, qubit]\n'),
]);
const BAD_OFFSET = BROKEN.indexOf(0xf6);

function write(bytes: Buffer | string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'paperboy-topics-')), 'topics.yaml');
  writeFileSync(path, bytes);
  return path;
}

describe('loadTopics', () => {
  it('warns once, naming the file, line and byte offset of a byte that is not UTF-8, and still compiles', () => {
    const path = write(BROKEN);
    const lines: string[] = [];
    const topics = loadTopics(path, { warn: (line) => lines.push(line) });
    expect(lines).toEqual([
      `topics file ${path}: 1 byte not valid UTF-8 (first at line 7, byte offset ${BAD_OFFSET}) read as U+FFFD; ` +
        'a keyword or pattern holding one never matches (save the file as UTF-8)',
    ]);
    expect(topics.topics.map((t) => t.slug)).toEqual(['ssm', 'quantum']);
    // The rest of the file works; the broken keyword is the one that never matches (why the warning matters).
    const paper = { title: 'Qubit readout with Schrödinger bridges', abstract: 'A Schrödinger bridge reads out a qubit.', categories: ['cs.LG'] };
    expect(classify(paper, topics).topics).toEqual([expect.objectContaining({ slug: 'quantum', keywords: ['qubit'] })]);
  });

  it('says nothing for a clean file, or one that writes U+FFFD itself as UTF-8', () => {
    const lines: string[] = [];
    loadTopics(write(HEAD), { warn: (line) => lines.push(line) });
    loadTopics(write(`${HEAD}  - slug: odd\n    name: Odd\n    keywords: [odd \uFFFD sign]\n`), { warn: (line) => lines.push(line) });
    expect(lines).toEqual([]);
  });

  it('a command run with such a file prints the one line on stderr and succeeds', () => {
    const proj = tmpProject();
    const path = write(BROKEN);
    const r = cli(['topics', '--json'], { ...proj.env, PAPERBOY_TOPICS: path });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe(`paperboy: warning: topics file ${path}: 1 byte not valid UTF-8 (first at line 7, byte offset ${BAD_OFFSET}) read as U+FFFD; a keyword or pattern holding one never matches (save the file as UTF-8)\n`);
    expect(JSON.parse(r.stdout)).toBeTruthy();
  });
});
