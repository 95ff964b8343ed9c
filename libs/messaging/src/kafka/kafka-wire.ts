import { isIP, connect as tcpConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { KafkaAuth } from './kafka-auth';
import { ScramClient } from './scram';

/**
 * Just enough of the Kafka protocol to call the requests kafkajs does not have (the SCRAM
 * credential administration): one connection, SASL/SCRAM-SHA-512 login, request/response
 * framing, and the primitive and compact ("flexible version") encodings.
 */
export class Writer {
  private readonly parts: Buffer[] = [];

  private push(size: number, write: (b: Buffer) => void): this {
    const b = Buffer.alloc(size);
    write(b);
    this.parts.push(b);
    return this;
  }

  int8 = (n: number) => this.push(1, (b) => b.writeInt8(n));
  int16 = (n: number) => this.push(2, (b) => b.writeInt16BE(n));
  int32 = (n: number) => this.push(4, (b) => b.writeInt32BE(n));

  uvarint(n: number): this {
    const bytes: number[] = [];
    let v = n >>> 0;
    while (v > 0x7f) {
      bytes.push((v & 0x7f) | 0x80);
      v >>>= 7;
    }
    bytes.push(v);
    this.parts.push(Buffer.from(bytes));
    return this;
  }

  /** A (non-compact) nullable string: int16 length, -1 for null. */
  string(s: string | null): this {
    if (s === null) return this.int16(-1);
    const b = Buffer.from(s, 'utf8');
    this.int16(b.length);
    this.parts.push(b);
    return this;
  }

  bytes(b: Buffer): this {
    this.int32(b.length);
    this.parts.push(b);
    return this;
  }

  compactString(s: string): this {
    return this.compactBytes(Buffer.from(s, 'utf8'));
  }

  compactBytes(b: Buffer): this {
    this.uvarint(b.length + 1);
    this.parts.push(b);
    return this;
  }

  compactArray<T>(items: T[] | null, each: (w: Writer, item: T) => void): this {
    if (items === null) return this.uvarint(0);
    this.uvarint(items.length + 1);
    for (const item of items) each(this, item);
    return this;
  }

  /** An empty set of tagged fields. */
  tags = () => this.uvarint(0);

  buffer(): Buffer {
    return Buffer.concat(this.parts);
  }
}

export class Reader {
  private at = 0;
  constructor(private readonly b: Buffer) {}

  int8 = () => this.b.readInt8((this.at += 1) - 1);
  int16 = () => this.b.readInt16BE((this.at += 2) - 2);
  int32 = () => this.b.readInt32BE((this.at += 4) - 4);
  int64 = () => this.b.readBigInt64BE((this.at += 8) - 8);

  uvarint(): number {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = this.b[this.at++];
      value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return value;
    }
  }

  private take(n: number): Buffer {
    const out = this.b.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }

  string(): string | null {
    const n = this.int16();
    return n < 0 ? null : this.take(n).toString('utf8');
  }

  bytes(): Buffer {
    const n = this.int32();
    return n < 0 ? Buffer.alloc(0) : this.take(n);
  }

  compactString(): string | null {
    const n = this.uvarint();
    return n === 0 ? null : this.take(n - 1).toString('utf8');
  }

  array<T>(each: (r: Reader) => T): T[] {
    const n = this.int32();
    return Array.from({ length: Math.max(0, n) }, () => each(this));
  }

  compactArray<T>(each: (r: Reader) => T): T[] {
    const n = this.uvarint();
    return Array.from({ length: Math.max(0, n - 1) }, () => each(this));
  }

  skipTags(): void {
    const n = this.uvarint();
    for (let i = 0; i < n; i++) {
      this.uvarint();
      this.take(this.uvarint());
    }
  }
}

/** Error codes the requests here may answer with (the rest are shown by number). */
const ERRORS: Record<number, string> = {
  31: 'CLUSTER_AUTHORIZATION_FAILED',
  33: 'UNSUPPORTED_SASL_MECHANISM',
  35: 'UNSUPPORTED_VERSION',
  41: 'NOT_CONTROLLER',
  58: 'SASL_AUTHENTICATION_FAILED',
  91: 'RESOURCE_NOT_FOUND',
  92: 'DUPLICATE_RESOURCE',
  93: 'UNACCEPTABLE_CREDENTIAL',
};

export class KafkaWireError extends Error {
  constructor(
    readonly code: number,
    message?: string | null,
  ) {
    super(`${ERRORS[code] ?? `error ${code}`}${message ? `: ${message}` : ''}`);
  }
  get type(): string {
    return ERRORS[this.code] ?? String(this.code);
  }
}

export function check(code: number, message?: string | null): void {
  if (code !== 0) throw new KafkaWireError(code, message);
}

export interface WireRequest {
  apiKey: number;
  apiVersion: number;
  /** Flexible versions have tagged fields in the request and response headers. */
  flexible: boolean;
  body: Buffer;
}

const SASL_HANDSHAKE = 17;
const SASL_AUTHENTICATE = 36;

/** One authenticated connection to one broker. */
export class KafkaWire {
  private correlation = 0;
  private pending = new Map<number, { flexible: boolean; done(r: Reader | Error): void }>();
  private received = Buffer.alloc(0);

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    const fail = (e: Error) => {
      for (const p of this.pending.values()) p.done(e);
      this.pending.clear();
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('the broker closed the connection')));
  }

  /** Connects to the first broker of the list that answers, and logs in. */
  static async open(brokers: string, auth: KafkaAuth = {}, timeoutMs = 10_000): Promise<KafkaWire> {
    let last: unknown;
    for (const broker of brokers.split(',')) {
      const i = broker.lastIndexOf(':');
      const host = broker.slice(0, i);
      const port = Number(broker.slice(i + 1));
      try {
        const socket = await connectSocket(host, port, auth, timeoutMs);
        const wire = new KafkaWire(socket);
        try {
          if (auth.sasl) await wire.login(auth.sasl.username, auth.sasl.password);
        } catch (e) {
          wire.close();
          throw e;
        }
        return wire;
      } catch (e) {
        last = e;
        if (e instanceof KafkaWireError || /SCRAM/.test((e as Error).message)) throw e;
      }
    }
    throw new Error(`no broker of ${brokers} answers: ${(last as Error)?.message ?? last}`);
  }

  async send(req: WireRequest): Promise<Reader> {
    const correlationId = ++this.correlation;
    const header = new Writer()
      .int16(req.apiKey)
      .int16(req.apiVersion)
      .int32(correlationId)
      .string('lgsp-admin-wire');
    if (req.flexible) header.tags();
    const payload = Buffer.concat([header.buffer(), req.body]);
    const size = Buffer.alloc(4);
    size.writeInt32BE(payload.length);
    return new Promise<Reader>((resolve, reject) => {
      this.pending.set(correlationId, {
        flexible: req.flexible,
        done: (r) => (r instanceof Error ? reject(r) : resolve(r)),
      });
      this.socket.write(Buffer.concat([size, payload]));
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.received = Buffer.concat([this.received, chunk]);
    while (this.received.length >= 4) {
      const size = this.received.readInt32BE(0);
      if (this.received.length < 4 + size) return;
      const frame = this.received.subarray(4, 4 + size);
      this.received = this.received.subarray(4 + size);
      const reader = new Reader(frame);
      const id = reader.int32();
      const waiting = this.pending.get(id);
      if (!waiting) continue;
      this.pending.delete(id);
      if (waiting.flexible) reader.skipTags();
      waiting.done(reader);
    }
  }

  private async login(user: string, password: string): Promise<void> {
    const hs = await this.send({
      apiKey: SASL_HANDSHAKE,
      apiVersion: 1,
      flexible: false,
      body: new Writer().string('SCRAM-SHA-512').buffer(),
    });
    const code = hs.int16();
    const mechanisms = hs.array((r) => r.string());
    check(code, `the broker offers ${mechanisms.join(', ') || 'no SASL mechanism'}`);
    const scram = new ScramClient('sha512', user, password);
    const serverFirst = await this.authenticate(scram.first());
    const serverFinal = await this.authenticate(scram.final(serverFirst));
    scram.verify(serverFinal);
  }

  private async authenticate(message: string): Promise<string> {
    const r = await this.send({
      apiKey: SASL_AUTHENTICATE,
      apiVersion: 1,
      flexible: false,
      body: new Writer().bytes(Buffer.from(message, 'utf8')).buffer(),
    });
    const code = r.int16();
    const error = r.string();
    const bytes = r.bytes();
    check(code, error);
    return bytes.toString('utf8');
  }
}

function connectSocket(
  host: string,
  port: number,
  auth: KafkaAuth,
  timeoutMs: number,
): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = auth.ssl
      ? tlsConnect({ host, port, ca: auth.ssl.ca, servername: isIP(host) ? undefined : host }, () =>
          done(),
        )
      : tcpConnect({ host, port }, () => done());
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`${host}:${port} did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      socket.removeListener('error', failed);
      resolve(socket);
    };
    const failed = (e: Error) => {
      clearTimeout(timer);
      reject(e);
    };
    socket.once('error', failed);
  });
}
