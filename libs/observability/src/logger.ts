import type { LoggerService } from '@nestjs/common';
import pino, { type Logger } from 'pino';

/**
 * Fields that may hold personal data. Logs never carry them in clear: an event's
 * payload is not logged at all, and these paths are censored wherever they appear.
 */
export const REDACTED_PATHS = [
  'personalId',
  '*.personalId',
  '*.*.personalId',
  'fullName',
  '*.fullName',
  '*.*.fullName',
  'dateOfBirth',
  '*.dateOfBirth',
  '*.*.dateOfBirth',
  'permanentAddress',
  '*.permanentAddress',
  'req.headers.authorization',
  'req.headers["x-api-key"]',
];

/** A run of nine digits or more: an identity card, citizen ID or insurance number, perhaps. */
const DIGIT_RUN = /\d{9,}/g;

/**
 * The last line of defence for values that arrive from outside under any name (an event id,
 * a key, a reason quoted from a producer): every run of nine digits or more in a log line is
 * censored, whatever field it is in. Times are ISO strings, so none is touched.
 */
export function scrubDigitRuns(line: string): string {
  return line.replace(DIGIT_RUN, '[redacted]');
}

export function createLogger(service: string, level = 'info'): Logger {
  return pino({
    level,
    base: { service },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    hooks: { streamWrite: scrubDigitRuns },
  });
}

/** Nest's logger interface on top of pino, so framework and application logs share one stream. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string): void {
    this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string): void {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string): void {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string): void {
    this.logger.trace({ context }, String(message));
  }
}
