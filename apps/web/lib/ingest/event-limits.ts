/** What one event may hold (lib/env.ts `limits`; docs/api.md). Lengths in UTF-16 units. */
export interface EventLimits {
  idChars: number;
  nameChars: number;
  textChars: number;
  tags: number;
  tagChars: number;
  jsonDepth: number;
}
