import { createWriteStream } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { HubClient } from './hub-client';

type Flags = Partial<
  Record<
    'from' | 'to' | 'service' | 'provider' | 'consumer' | 'status' | 'correlation' | 'citizen',
    string
  >
>;

export function auditFilter(v: Flags): Record<string, string | undefined> {
  return {
    from: v.from,
    to: v.to,
    service: v.service,
    provider: v.provider,
    consumer: v.consumer,
    status: v.status,
    correlationId: v.correlation,
    citizenId: v.citizen,
  };
}

/** Streams an export to a file (or stdout), counting lines on stderr as they arrive. */
export async function exportLog(
  hub: HubClient,
  query: Record<string, string | undefined>,
  out?: string,
): Promise<void> {
  const res = await hub.stream('/audit/export', query);
  let lines = 0;
  let last = 0;
  const count = new Transform({
    transform(chunk: Buffer, _enc, done) {
      for (const byte of chunk) if (byte === 10) lines++;
      if (Date.now() - last > 200) {
        last = Date.now();
        process.stderr.write(`\rexported ${lines} lines`);
      }
      done(null, chunk);
    },
  });
  await pipeline(Readable.fromWeb(res), count, out ? createWriteStream(out) : process.stdout);
  process.stderr.write(`\rexported ${lines} lines${out ? ` to ${out}` : ''}\n`);
}
