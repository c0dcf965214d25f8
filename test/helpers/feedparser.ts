// Runs Debian's python3-feedparser (an independent reader) on feed files; null when it is not installed.
import { execFileSync, spawnSync } from 'node:child_process';

const PY = '/usr/bin/python3';

export const hasFeedparser = (() => spawnSync(PY, ['-c', 'import feedparser'], { stdio: 'ignore' }).status === 0)();

export interface ParsedFeed {
  file: string;
  bozo: number;
  bozoException: string | null;
  entries: number;
  version: string;
  ids: string[];
  titles: string[];
  /** Each entry's date as feedparser reads it (UTC, ISO 8601 to the second), or null. */
  published: (string | null)[];
  /** Each entry's summary as a reader shows it: the HTML feedparser hands over (after its sanitizer), as text. */
  summaries: string[];
}

export function feedparse(files: string[]): ParsedFeed[] {
  const script = `
import feedparser, json, sys, html, re, time
out = []
for f in sys.argv[1:]:
    d = feedparser.parse(f)
    out.append({"file": f, "bozo": int(d.bozo), "bozoException": str(d.get("bozo_exception")) if d.bozo else None,
                "entries": len(d.entries), "version": d.version, "ids": [e.get("id") for e in d.entries],
                "titles": [e.get("title") for e in d.entries],
                "published": [time.strftime("%Y-%m-%dT%H:%M:%SZ", e.published_parsed) if e.get("published_parsed") else None for e in d.entries],
                "summaries": [html.unescape(re.sub(r"<[^>]*>", "", e.get("summary", ""))) for e in d.entries]})
print(json.dumps(out))
`;
  return JSON.parse(execFileSync(PY, ['-c', script, ...files], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })) as ParsedFeed[];
}
