// Types of source-stamp.js (plain JavaScript: it runs before any build, beside the command it serves).
export const STAMP_FILE: string;
export function sourceStamp(root: string): string;
