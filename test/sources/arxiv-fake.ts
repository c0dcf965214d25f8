// A fake export.arxiv.org for enrichment tests, and the page dump whose paper it knows by title.
import { atomFeed, fakeServer, xml, type AtomEntry, type FakeServer } from './fakes.ts';

export const DUMP_TITLE = 'Sparse Mixture of Tiny Experts for On-Device Speech Recognition';
export const DUMP = `Daily Papers\n\n${DUMP_TITLE}\n\nWe route each audio frame to one of many tiny experts and keep on-device recognition fast and accurate.\n\nA Paper Nobody on arXiv Has Heard Of\n\nWe study a question that arXiv does not know about, so no lookup will find it.\n`;

/** What the fake arXiv knows: every HF fixture paper by id, and the dump paper by its title. */
export const KNOWN: AtomEntry = {
  id: '2410.19999v2',
  // arXiv's spelling differs only in case and punctuation: the normalized titles match.
  title: 'Sparse mixture of tiny experts for on-device speech recognition.',
  summary: 'We route each audio frame to one of many tiny experts and keep on-device recognition fast and accurate.',
  authors: ['Ada Lovelace', 'Alan Turing', 'Grace Hopper'],
  primary: 'eess.AS',
  categories: ['eess.AS', 'cs.CL', 'cs.SD'],
  comment: '5 pages, ICASSP 2025',
};

/** A fake export.arxiv.org: id_list answers from the fixture ids, ti:"…" answers by title words. */
export async function fakeArxiv(extra: AtomEntry[] = [KNOWN]): Promise<FakeServer> {
  return fakeServer((req, res) => {
    const ids = req.query.get('id_list');
    if (ids) {
      const entries = ids.split(',').filter((id) => id.startsWith('2410.1')).map((id) => ({
        id: `${id}v1`,
        title: `Paper ${id}`,
        summary: 'An abstract.',
        authors: ['A. Author', 'B. Author'],
        primary: 'cs.CL',
        categories: ['cs.CL', 'cs.LG'],
      }));
      return xml(res, atomFeed(entries));
    }
    const q = req.query.get('search_query') ?? '';
    const words = /^ti:"(.*)"$/.exec(q)?.[1]?.toLowerCase() ?? '';
    // A near miss comes back too: a longer title that contains the words. It must not be taken.
    const nearMiss: AtomEntry = { ...KNOWN, id: '2410.18888v1', title: `${KNOWN.title.replace(/\.$/, '')}: Part II`, categories: ['cs.SD'] };
    const hits = [nearMiss, ...extra].filter((e) => e.title.toLowerCase().replace(/[^a-z0-9]+/g, ' ').includes(words));
    xml(res, atomFeed(hits));
  });
}

