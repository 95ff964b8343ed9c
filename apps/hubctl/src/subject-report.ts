import { writeFileSync } from 'node:fs';
import type { HubClient } from './hub-client';

const FORMATS = ['json', 'csv', 'html'];

/**
 * `hubctl audit subject-report --citizen ID [--format json|csv|html] [--out FILE]`: every
 * exchange about one citizen. The ID number goes in the body of a POST, never in a URL.
 * Returns what to print (nothing when written to a file).
 */
export async function subjectReportCommand(
  hub: HubClient,
  v: { citizen?: string; format?: string; out?: string },
): Promise<string | undefined> {
  const format = v.format ?? 'json';
  if (!v.citizen) throw new Error('audit subject-report needs --citizen <ID number>');
  if (!FORMATS.includes(format))
    throw new Error(`--format must be one of ${FORMATS.join(', ')} (not ${format})`);
  const body = { citizenId: v.citizen, format };
  const text =
    format === 'json'
      ? `${JSON.stringify(await hub.post('/audit/subject-report', body), null, 2)}\n`
      : await hub.postText('/audit/subject-report', body);
  if (!v.out) return text;
  writeFileSync(v.out, text);
  process.stderr.write(`subject report (${format}) written to ${v.out}\n`);
  return undefined;
}
