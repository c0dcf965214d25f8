// Text → ranking terms: lowercased words with light stemming, stop words dropped, and adjacent-word phrases ("robot grasp").

const STOP = new Set(
  ('a an and are as at be been being but by can could do does for from has have how in into is it its may more most ' +
    'not of on or our over such than that the their them then there these they this those through to under up via was ' +
    'we were what when where which while who will with within without you your also both each other only same so some ' +
    'very well new novel based using use used propose proposed show shows paper approach method methods results result ' +
    'existing work works however further across among between different various significant significantly state art ' +
    'stateoftheart demonstrate first two one three large present study studies achieve achieves task tasks')
    .split(' '),
);

/** A light, deterministic stemmer: plural and common verb endings, so "grasping" = "grasp" and "policies" = "policy". */
export function stem(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (word.endsWith('sses')) return word.slice(0, -2);
  if (word.endsWith('ing') && word.length > 5) return undouble(word.slice(0, -3));
  if (word.endsWith('ed') && word.length > 4 && !word.endsWith('eed')) return undouble(word.slice(0, -2));
  if (word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us') && !word.endsWith('is')) return word.slice(0, -1);
  return word;
}
const undouble = (w: string) => (/([b-df-hj-np-tv-z])\1$/.test(w) && !/(ll|ss|zz)$/.test(w) ? w.slice(0, -1) : w.endsWith('e') ? w : w);

/** LaTeX commands and math delimiters out; letters with accents folded to their base letters. */
function plain(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/\\[a-zA-Z]+/g, ' ')
    .toLowerCase();
}

/** The words of a text, in order, stop words kept as `null` so a phrase never spans one ("learning of robots"). */
export function words(text: string): (string | null)[] {
  const out: (string | null)[] = [];
  for (const raw of plain(text).split(/[^a-z0-9]+/)) {
    if (raw === '') continue;
    if (STOP.has(raw) || raw.length < 2) {
      out.push(null);
      continue;
    }
    out.push(stem(raw));
  }
  return out;
}

/** Unigrams and the phrases of two adjacent words (`"a b"`), each occurrence counted. */
export function terms(text: string): string[] {
  const ws = words(text);
  const out: string[] = [];
  for (let i = 0; i < ws.length; i++) {
    const w = ws[i];
    if (w === null || w === undefined) continue;
    out.push(w);
    const next = ws[i + 1];
    if (next) out.push(`${w} ${next}`);
  }
  return out;
}
