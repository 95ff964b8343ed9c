import { uuidv7 } from '@lgsp/messaging';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { CORRELATION_HEADER } from './http-errors';

/** What Node's HTTP parser refused, as the services say it: status, code and message. */
function refusalOf(code: string | undefined): [number, string, string] {
  if (code === 'HPE_HEADER_OVERFLOW')
    return [431, 'REQUEST.HEADERS_TOO_LARGE', 'The request headers are larger than 16 kB.'];
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT')
    return [408, 'REQUEST.TIMEOUT', 'The request did not arrive in time.'];
  return [400, 'REQUEST.MALFORMED', 'The request is not well-formed HTTP.'];
}

/**
 * Answers a request that Node's HTTP parser refused before any handler saw it (headers over
 * its size limit, a malformed request line) in the shape of every other refusal — a stable
 * code and a correlation id — instead of a bare status line. Then closes the connection:
 * after a parse error the rest of its bytes cannot be trusted.
 */
export function answerClientError(err: Error & { code?: string }, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const [status, code, message] = refusalOf(err.code);
  const correlationId = uuidv7();
  const body = JSON.stringify({ code, message, correlationId });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
      'content-type: application/json; charset=utf-8\r\n' +
      `content-length: ${Buffer.byteLength(body)}\r\n` +
      `${CORRELATION_HEADER}: ${correlationId}\r\n` +
      'connection: close\r\n\r\n' +
      body,
  );
}
