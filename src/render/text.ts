// The plain-text part, written from the same view as the HTML (not converted from it), wrapped at 78 columns.
import type { DigestView } from './email-view.ts';
import { len as cols } from './links.ts';
import { TOKENS } from './recipient.ts';

export const TEXT_WIDTH = 78;


/**
 * Greedy word wrap. A URL longer than the line gets a line of its own and is never broken, so every link
 * stays clickable; any other word that long is cut into pieces.
 */
export function wrap(text: string, indent = '', firstIndent = indent, width = TEXT_WIDTH): string[] {
  const room = Math.max(1, width - cols(indent));
  const words = text.split(/\s+/).filter((w) => w !== '').flatMap((w) => (cols(w) > room && !isUrl(w) ? chunks(w, room) : [w]));
  const lines: string[] = [];
  let line = firstIndent;
  let used = cols(firstIndent);
  let empty = true;
  for (const word of words) {
    const w = cols(word);
    if (!empty && used + 1 + w > width) {
      lines.push(line);
      line = indent;
      used = cols(indent);
      empty = true;
    }
    line += (empty ? '' : ' ') + word;
    used += (empty ? 0 : 1) + w;
    empty = false;
  }
  if (!empty) lines.push(line);
  return lines;
}

const isUrl = (w: string) => /https?:\/\/|%%PB_/.test(w);

/** A word too long for any line (not a URL) is broken into line-sized pieces. */
function chunks(word: string, size: number): string[] {
  const chars = Array.from(word);
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += size) out.push(chars.slice(i, i + size).join(''));
  return out;
}

/** "label: url" on one line when it fits, else the label and then the URL alone on the next line. */
function link(label: string, url: string, indent: string): string[] {
  const one = `${indent}${label}: ${url}`;
  return cols(one) <= TEXT_WIDTH ? [one] : [...wrap(`${label}:`, indent), `${indent}${url}`];
}

/** A recipient value whose length is unknown until filling: always on a line of its own. */
function slot(label: string, token: string): string[] {
  return [`${label}:`, token];
}

function leader(name: string, count: number): string {
  const dots = 52 - cols(name);
  return dots >= 2 ? `  ${name} ${'.'.repeat(dots)} ${count}` : `  ${name} (${count})`;
}

export function renderDigestText(view: DigestView): string {
  const out: string[] = [];
  const push = (...lines: string[]) => out.push(...lines);

  push(...wrap(view.kicker.toUpperCase()), ...wrap(view.dateLabel), '', ...wrap(view.headline), '');
  push(...slot('View in browser', TOKENS.viewUrl), '');
  // "Picked for you" (filled per reader, ending in a blank line) opens the body; the token starts the next line,
  // so a reader without picks gets the text exactly as before.
  const picksAt = out.length;
  if (view.toc.length > 0) {
    push('Contents');
    for (const t of view.toc) push(...(cols(leader(t.name, t.count)) <= TEXT_WIDTH ? [leader(t.name, t.count)] : wrap(`${t.name} (${t.count})`, '    ', '  ')));
    push('');
  }
  if (view.trending !== '') push(...wrap(`Trending: ${view.trending}`), '');
  if (view.quiet !== '') push(...wrap(view.quiet), '');

  if (out.length > picksAt) out[picksAt] = TOKENS.picksText + out[picksAt];
  else out.push(TOKENS.picksText);
  for (const section of view.sections) {
    const title = `${section.name.toUpperCase()} · ${section.count}`;
    push('', ...wrap(title), '='.repeat(Math.min(TEXT_WIDTH, Math.max(...wrap(title).map(cols)))), '');
    section.cards.forEach((c, i) => {
      const n = `${i + 1}. `;
      const pad = ' '.repeat(n.length);
      push(...wrap(c.title, pad, n));
      if (c.byline !== '') push(...wrap(c.byline, pad));
      push('', ...wrap(c.abstract, pad));
      if (c.summary !== '') push('', ...wrap(c.summary, pad));
      if (c.notes !== '') push('', ...wrap(c.notes, pad));
      push('');
      for (const l of c.links) push(...link(l.label, l.url, pad));
      push('');
    });
    if (section.more > 0) push(...link(section.moreLabel, section.moreUrl, ''), '');
  }

  push('-- ', ...wrap(view.why), ...slot('This copy went to', TOKENS.email), '');
  push(...slot('View in browser', TOKENS.viewUrl));
  push(...slot('Manage topics', TOKENS.preferencesUrl));
  push(...slot('Unsubscribe', TOKENS.unsubscribeUrl));
  push(...link(view.listName, view.baseUrl, ''));
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

export interface ConfirmTextView {
  listName: string;
  cadence: string;
  email: string;
  topicsLabel: string;
  confirmUrl: string;
  hours: number;
  baseUrl: string;
}

export function renderConfirmText(v: ConfirmTextView): string {
  const lines = [
    ...wrap(`Confirm your ${v.listName} subscription`),
    '',
    ...wrap(`Someone, hopefully you, asked to get the ${v.listName} ${v.cadence} digest at ${v.email}.`),
    ...wrap(`Topics: ${v.topicsLabel}`),
    '',
    'Confirm by opening this link:',
    v.confirmUrl,
    '',
    ...wrap(`This link works for ${v.hours} hours.`),
    '',
    ...wrap("If this wasn't you, ignore this email: nothing happens unless the link is used, and you will not hear from us again."),
    '',
    '-- ',
    ...link(v.listName, v.baseUrl, ''),
  ];
  return `${lines.join('\n')}\n`;
}
