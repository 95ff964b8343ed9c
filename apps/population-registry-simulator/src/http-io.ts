import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';

/** Larger bodies than a full batch of 1000 items could ever be are refused unread. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** The body parsed as JSON, or `undefined` when it is too large or not JSON. */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** Answers unless the client has gone (a slow answer may outlive its request). */
export function send(
  res: ServerResponse,
  status: number,
  body?: unknown,
  headers: OutgoingHttpHeaders = {},
): void {
  if (res.headersSent || res.destroyed) return;
  if (body === undefined) {
    res.writeHead(status, headers).end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(text);
}

export function sendError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  headers?: OutgoingHttpHeaders,
): void {
  send(res, status, { code, message }, headers);
}
