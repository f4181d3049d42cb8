import { writeFileSync } from 'node:fs';

/** The GET request of rows 1-6; the third line of the 3-line rule set allows it. */
export const GET_PATH = '/rest/api/space?limit=25&start=0';
/** The POST request of row 7. */
export const POST_PATH = '/rest/api/content';

/** Row 5: three realistic rules, the request matches the third. */
export const RULES_3 = [
  '[GET].*/rest/api/content.*[QueryParam::spaceKey==PM.*]',
  '[POST].*/rest/api/content/?[JsonData::type==page]',
  '[GET].*/rest/api/space.*',
].join('\n');

/** Row 7: the body has to be read and parsed to decide. */
export const RULES_JSON = '[POST].*/rest/api/content/?[JsonData::type==page]';

/**
 * Row 6: 99 realistic rules that do not allow the request — most of them GET rules whose URL
 * pattern has to be tried — then the one that does.
 */
export function rules100(): string {
  const lines: string[] = [];
  for (let i = 1; i <= 99; i++) {
    switch (i % 5) {
      case 0:
        lines.push(`[GET].*/rest/api/content/${100_000 + i * 37}(/.*)?`);
        break;
      case 1:
        lines.push(`[GET].*/rest/api/space/TEAM${i}(/.*)?`);
        break;
      case 2:
        lines.push(`[GET].*/rest/api/content.*[QueryParam::spaceKey==TEAM${i}]`);
        break;
      case 3:
        lines.push(`[POST].*/rest/api/content/?[JsonData::space.key==TEAM${i}]`);
        break;
      default:
        lines.push(`[PUT].*/rest/api/content/${200_000 + i}`);
    }
  }
  lines.push('[GET].*/rest/api/space.*');
  return lines.join('\n');
}

export const BODY_BYTES = 2 * 1024 * 1024;

/**
 * Writes row 7's body: a Confluence-style page of exactly 2 MiB,
 * `{"type":"page","title":"TEST…","space":{"key":"PM"},"body":{"storage":{"value":"<p>…</p>…",…}}}`.
 */
export function writeLargeBody(file: string): number {
  const head = '{"type":"page","title":"TEST benchmark page","space":{"key":"PM"},"body":{"storage":{"value":"';
  const tail = '","representation":"storage"}}}';
  const paragraph = '<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.</p>';
  const room = BODY_BYTES - head.length - tail.length;
  const filler = paragraph.repeat(Math.ceil(room / paragraph.length)).slice(0, room);
  const text = head + filler + tail;
  JSON.parse(text); // valid JSON, or fail here rather than in the middle of a run
  writeFileSync(file, text);
  return Buffer.byteLength(text);
}
