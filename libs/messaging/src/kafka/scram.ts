import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';

/** SCRAM (RFC 5802) as Kafka uses it: SHA-256 or SHA-512, the password taken as UTF-8. */
export type ScramHash = 'sha256' | 'sha512';

const KEY_LENGTH: Record<ScramHash, number> = { sha256: 32, sha512: 64 };
/** Kafka refuses fewer iterations than this for either hash. */
export const SCRAM_MIN_ITERATIONS = 4096;

export function saltedPassword(
  hash: ScramHash,
  password: string,
  salt: Buffer,
  iterations: number,
): Buffer {
  return pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, KEY_LENGTH[hash], hash);
}

const hmac = (hash: ScramHash, key: Buffer, text: string) =>
  createHmac(hash, key).update(text, 'utf8').digest();

/** `=` and `,` are escaped in a SCRAM user name. */
function saslName(user: string): string {
  return user.replace(/=/g, '=3D').replace(/,/g, '=2C');
}

function attributes(message: string): Map<string, string> {
  return new Map(
    message.split(',').map((part) => [part.slice(0, 1), part.slice(2)] as [string, string]),
  );
}

/**
 * One client-side SCRAM exchange: `first()`, then `final(serverFirst)`, then
 * `verify(serverFinal)`, which throws unless the server proved it knows the credential too.
 */
export class ScramClient {
  private readonly clientFirstBare: string;
  private authMessage?: string;
  private salted?: Buffer;

  constructor(
    private readonly hash: ScramHash,
    user: string,
    private readonly password: string,
    private readonly nonce = randomBytes(24).toString('base64url'),
  ) {
    this.clientFirstBare = `n=${saslName(user)},r=${nonce}`;
  }

  first(): string {
    return `n,,${this.clientFirstBare}`;
  }

  final(serverFirst: string): string {
    const a = attributes(serverFirst);
    const nonce = a.get('r') ?? '';
    const salt = Buffer.from(a.get('s') ?? '', 'base64');
    const iterations = Number(a.get('i'));
    if (!nonce.startsWith(this.nonce) || nonce === this.nonce)
      throw new Error('SCRAM: the server nonce does not extend the client nonce');
    if (!Number.isInteger(iterations) || iterations < 1 || salt.length === 0)
      throw new Error(`SCRAM: unreadable server-first message`);
    this.salted = saltedPassword(this.hash, this.password, salt, iterations);
    const withoutProof = `c=${Buffer.from('n,,').toString('base64')},r=${nonce}`;
    this.authMessage = `${this.clientFirstBare},${serverFirst},${withoutProof}`;
    const clientKey = hmac(this.hash, this.salted, 'Client Key');
    const storedKey = createHash(this.hash).update(clientKey).digest();
    const signature = hmac(this.hash, storedKey, this.authMessage);
    const proof = Buffer.from(clientKey.map((b, i) => b ^ signature[i]));
    return `${withoutProof},p=${proof.toString('base64')}`;
  }

  verify(serverFinal: string): void {
    const a = attributes(serverFinal);
    if (a.has('e')) throw new Error(`SCRAM: the server refused: ${a.get('e')}`);
    if (!this.salted || !this.authMessage) throw new Error('SCRAM: final() was not called');
    const serverKey = hmac(this.hash, this.salted, 'Server Key');
    const expected = hmac(this.hash, serverKey, this.authMessage);
    const given = Buffer.from(a.get('v') ?? '', 'base64');
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      throw new Error('SCRAM: the server signature is wrong');
  }
}
