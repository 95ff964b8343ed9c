/**
 * A failure that retrying will not cure: a rule was violated, data is missing.
 * The consumer reports it with a FAILED receipt and moves the message to its dead letters.
 */
export class PermanentError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'PermanentError';
  }
}

/** A message that cannot be accepted at all: broken envelope, unknown type, invalid payload. */
export class RejectedMessageError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'RejectedMessageError';
  }
}

/**
 * A dependency cannot take the record now, and says when to try again: a circuit breaker
 * that is open, a rate limit's Retry-After. The consumer waits `retryInMs` and reads the
 * record again without counting an attempt (nothing was tried), so an outage of the
 * dependency holds records back instead of using up their attempts and dead-lettering them.
 */
export class RetryLaterError extends Error {
  constructor(
    message: string,
    readonly retryInMs: number,
  ) {
    super(message);
    this.name = 'RetryLaterError';
  }
}
