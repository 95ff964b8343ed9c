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
