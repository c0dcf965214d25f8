// The parts of `yaml` that rules.ts uses, loaded at the first topics.yaml compile: a start that classifies
// nothing (most of them: a run with nothing new, --help, the listings) never pays for its ~60 CommonJS files.
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';

export type { Node } from 'yaml';

let loaded: typeof Yaml | null = null;
const yaml = () => (loaded ??= createRequire(import.meta.url)('yaml') as typeof Yaml);

export const parseDocument = ((...args: Parameters<typeof Yaml.parseDocument>) => yaml().parseDocument(...args)) as typeof Yaml.parseDocument;
export function isMap(node: unknown): node is Yaml.YAMLMap {
  return yaml().isMap(node);
}
export function isSeq(node: unknown): node is Yaml.YAMLSeq {
  return yaml().isSeq(node);
}
export function isScalar(node: unknown): node is Yaml.Scalar {
  return yaml().isScalar(node);
}
export function isNode(node: unknown): node is Yaml.Node {
  return yaml().isNode(node);
}
/** `new LineCounter()` as with the package's own class. */
export const LineCounter = function LineCounter() {
  return new (yaml().LineCounter)();
} as unknown as typeof Yaml.LineCounter;
