// Seed text written to attack: markup, CDATA ends, control and bidi characters, header smuggling and huge fields
// go through a whole run; every feed must stay well-formed XML, every page and email inert, every header one line.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tmpProject } from '../helpers/tmp.ts';

const { XMLValidator } = createRequire(import.meta.url)('fast-xml-parser') as typeof import('fast-xml-parser');

const files = (dir: string): string[] => readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => join(dir, f)).filter((f) => /\.\w+$/.test(f));
// C0 controls but tab/LF/CR, DEL, C1, bidi overrides, noncharacters (U+FFFE is no XML character): none may reach a reader.
const CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\uFDD0-\uFDEF\uFFFE\uFFFF]/;

const hostile = [
  {
    paper: {
      id: '2411.99991',
      title: 'Evil <script>alert(1)</script> & "Quotes" ]]> \u202Egnp.exe Title\u0007 \uFFFE\uFFFF\uFDD0',
      summary: 'Abstract with \u0001 SOH, \uFFFE U+FFFE, \u001b[31m ESC, <img src=x onerror=alert(1)>, a CDATA end ]]> and \u2028 a line separator. It ends here.',
      ai_summary: '\u0007Bell \u001b[2J <b>bold</b> ]]> \u202Ereversed\u202C summary. ' + 'Long summary text. '.repeat(20_000),
      ai_keywords: ['<script>', 'ok keyword', '\u0000nul', 'k'.repeat(10_000)],
      authors: [{ name: 'Eve\r\nBcc: victim@example.org' }, { name: '<i>Mallory</i>\u0085\uFFFF' }, { name: 'Zed' + 'z'.repeat(50_000) }],
      githubRepo: 'javascript:alert(1)',
      projectPage: 'https://example.org/"><script>alert(2)</script>',
      upvotes: 5,
    },
    numComments: 3,
  },
  { paper: { id: '2411.99992', title: 'A Calm Paper on Robot Grasping', summary: 'Robots grasp things. We study grasping with tactile sensors.', upvotes: 1 } },
];

describe('hostile seed text through a whole run', () => {
  it('feeds stay well-formed, pages and emails inert, headers one line, no control characters anywhere', () => {
    const proj = tmpProject();
    writeFileSync(join(proj.seedsDir, 'evil.json'), JSON.stringify(hostile));
    const run = cli(['run', '--date', '2026-12-07', '--no-send', '--json'], { ...proj.env, PAPERBOY_BASE_URL: 'https://papers.example.org' });
    expect(run.status, run.stderr).toBe(0);
    const out = [...files(join(proj.dataDir, 'site')), ...files(join(proj.dataDir, 'preview'))];
    expect(out.some((f) => f.endsWith('.xml'))).toBe(true);
    const found: string[] = [];
    const check = (f: string, ok: boolean, what: string) => ok || found.push(`${f.replace(proj.dataDir, 'data')}: ${what}`);
    for (const f of out) {
      const text = readFileSync(f, 'utf8');
      const control = CONTROLS.exec(text);
      check(f, !control, `control character U+${control?.[0].charCodeAt(0).toString(16).padStart(4, '0')} near ${JSON.stringify(text.slice(Math.max(0, (control?.index ?? 0) - 30), (control?.index ?? 0) + 10))}`);
      if (f.endsWith('.xml')) check(f, XMLValidator.validate(text) === true, 'not well-formed XML');
      if (f.endsWith('.json')) check(f, (() => { try { JSON.parse(text); return true; } catch { return false; } })(), 'not JSON');
      if (/\.(html|xml)$/.test(f)) {
        // A feed's title and creator are plain text (the XML escapes them); its description is HTML and must be inert.
        const markup = f.endsWith('.xml') ? text.replace(/<(title|dc:creator)>[\s\S]*?<\/\1>/g, '') : text;
        check(f, !/<script>alert|<img src=x|<i>Mallory|<b>bold/i.test(markup), 'live markup from the seed');
        check(f, !/href="javascript:/i.test(text), 'a javascript: link');
      }
      check(f, text.split('Long summary text.').length < 2_000, 'the huge summary uncut');
      check(f, !/z{1000}/.test(text), 'a 50,000-character author name uncut');
    }
    expect(found).toEqual([]);
    const eml = readFileSync(out.find((f) => f.endsWith('.eml'))!, 'utf8');
    const head = eml.slice(0, eml.indexOf('\r\n\r\n'));
    expect(head).not.toMatch(/^bcc:/im);
    for (const line of head.split('\r\n')) expect(line.length, line).toBeLessThanOrEqual(998);
  }, 180_000);
});
