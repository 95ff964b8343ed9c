import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { answerClientError } from './client-errors';

/** Sends raw bytes to the server and reads everything it answers until it closes. */
function raw(server: Server, request: string): Promise<string> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    let answer = '';
    socket.on('data', (d) => (answer += d.toString('utf8')));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });
}

describe('answerClientError', () => {
  let server: Server;

  beforeAll(async () => {
    server = createServer((_, res) => res.end('ok'));
    server.on('clientError', answerClientError);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  });

  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  function parse(answer: string) {
    const [head, body] = answer.split('\r\n\r\n');
    const correlation = /x-correlation-id: (\S+)/.exec(head)?.[1];
    return {
      status: Number(head.split(' ')[1]),
      body: JSON.parse(body) as Record<string, string>,
      correlation,
    };
  }

  it('answers headers over the limit with a coded 431 and a correlation id', async () => {
    const answer = parse(
      await raw(server, `GET / HTTP/1.1\r\nx-pad: ${'k'.repeat(20_000)}\r\n\r\n`),
    );
    expect(answer.status).toBe(431);
    expect(answer.body).toMatchObject({
      code: 'REQUEST.HEADERS_TOO_LARGE',
      message: expect.any(String) as string,
    });
    expect(answer.body.correlationId).toBe(answer.correlation);
  });

  it('answers a request that is not HTTP with a coded 400', async () => {
    const answer = parse(await raw(server, 'NOT HTTP AT ALL\r\n\r\n'));
    expect([answer.status, answer.body.code]).toEqual([400, 'REQUEST.MALFORMED']);
  });
});
