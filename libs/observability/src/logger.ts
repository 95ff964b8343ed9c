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

export function createLogger(service: string, level = 'info'): Logger {
  return pino({
    level,
    base: { service },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
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
