/** A sustained rate and the burst allowed above it. */
export interface RateLimit {
  /** Requests per second, refilled continuously. 0 turns the limit off. */
  perSecond: number;
  /** Requests a client that was quiet may send at once. */
  burst: number;
}

interface Bucket {
  tokens: number;
  at: number;
  /** Refusing since the last request let through: the start of a throttling episode is logged once. */
  refusing: boolean;
}

export type Taken = { allowed: true } | { allowed: false; retryAfterMs: number; first: boolean };

/**
 * One token bucket per key (a credential, or a client address), in this process's memory:
 * with several replicas each enforces the limit on its own. A key whose bucket has filled up
 * again is the same as a key never seen, so full buckets are dropped when the map grows; the
 * map never holds more than `maxKeys`.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number = Date.now,
    private readonly maxKeys = 100_000,
  ) {}

  get size(): number {
    return this.buckets.size;
  }

  /** Takes one token for `key`, or says how long until one is there (a refusal takes nothing). */
  take(key: string): Taken {
    if (this.limit.perSecond <= 0) return { allowed: true };
    const now = this.now();
    let bucket = this.buckets.get(key);
    if (bucket) {
      bucket.tokens = this.refilled(bucket, now);
      bucket.at = now;
    } else {
      bucket = { tokens: this.limit.burst, at: now, refusing: false };
      this.add(key, bucket, now);
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      bucket.refusing = false;
      return { allowed: true };
    }
    const first = !bucket.refusing;
    bucket.refusing = true;
    return {
      allowed: false,
      retryAfterMs: Math.ceil(((1 - bucket.tokens) * 1000) / this.limit.perSecond),
      first,
    };
  }

  private refilled(bucket: Bucket, now: number): number {
    const gained = ((now - bucket.at) * this.limit.perSecond) / 1000;
    return Math.min(this.limit.burst, bucket.tokens + Math.max(0, gained));
  }

  private add(key: string, bucket: Bucket, now: number): void {
    if (this.buckets.size >= this.maxKeys) {
      for (const [k, b] of this.buckets) {
        if (this.refilled(b, now) >= this.limit.burst) this.buckets.delete(k);
      }
      // Still full of busy keys: the oldest go (their clients start again with a full bucket).
      for (const k of this.buckets.keys()) {
        if (this.buckets.size < this.maxKeys) break;
        this.buckets.delete(k);
      }
    }
    this.buckets.set(key, bucket);
  }
}
