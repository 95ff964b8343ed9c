import {
  type ArgumentMetadata,
  type ArgumentsHost,
  BadRequestException,
  Catch,
  type ExceptionFilter,
  HttpException,
  HttpStatus,
  type ValidationError,
  ValidationPipe,
} from '@nestjs/common';
import { fieldErrors, type FieldError, shapeErrors, WHOLE_PAYLOAD } from '@lgsp/contracts';
import { uuidv7 } from '@lgsp/messaging';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';

export const CORRELATION_HEADER = 'x-correlation-id';

/** An error that crosses the HTTP boundary with a stable code a caller can act on. */
export class ApiError extends HttpException {
  constructor(
    status: number,
    readonly code: string,
    message: string,
    readonly details?: FieldError[],
  ) {
    super(message, status);
  }
}

export const RATE_LIMITED = 'REQUEST.RATE_LIMITED';

/** A 429: the caller is over a rate limit; the answer says when to try again (Retry-After). */
export class RateLimitedError extends ApiError {
  readonly retryAfterSeconds: number;

  constructor(retryAfterMs: number, message: (seconds: number) => string) {
    const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
    super(HttpStatus.TOO_MANY_REQUESTS, RATE_LIMITED, message(seconds));
    this.retryAfterSeconds = seconds;
  }
}

/** The row a request asked for, or a 404 with a stable code. */
export function foundOr404<T>(row: T | null, code: string, message: string): T {
  if (row === null) throw new ApiError(HttpStatus.NOT_FOUND, code, message);
  return row;
}

export type RequestWithCorrelation = Request & { correlationId: string };

const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/** Every request carries a correlation id: the caller's (if well-formed) or a new one. */
export function correlationMiddleware(req: Request, res: Response, next: NextFunction): void {
  correlate(req, res);
  next();
}

/**
 * The request's correlation id, given to it (and to the answer's header) on first use: a
 * request refused while its body is read (not JSON, too large) never met the middleware.
 */
function correlate(req: Request, res: Response): string {
  const r = req as Partial<RequestWithCorrelation>;
  if (r.correlationId) return r.correlationId;
  const given = req.header(CORRELATION_HEADER);
  const id = given && CORRELATION_ID.test(given) ? given : uuidv7();
  r.correlationId = id;
  if (!res.headersSent) res.setHeader(CORRELATION_HEADER, id);
  return id;
}

/**
 * Nest's ValidationPipe, refusing first what class-transformer and class-validator cannot
 * walk (a body nested deeper than any contract needs, which would overflow the stack; a
 * reserved key such as `constructor`, which they trip over; see shapeErrors), and any
 * other input they fail on, as a coded 400 rather than an exception.
 */
class BoundedValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const what = metadata.type === 'body' ? 'body' : metadata.type;
    const invalid = (errors: FieldError[]) =>
      new ApiError(
        HttpStatus.BAD_REQUEST,
        'REQUEST.VALIDATION_FAILED',
        'The request body is invalid; see errors for each field.',
        errors,
      );
    const shape = this.toValidate(metadata)
      ? shapeErrors(value, what, { objectRequired: false })
      : [];
    if (shape.length > 0) throw invalid(shape);
    try {
      return (await super.transform(value, metadata)) as unknown;
    } catch (e) {
      if (e instanceof HttpException) throw e;
      const why = `the ${what} could not be read field by field (${e instanceof Error ? e.name : 'error'})`;
      throw invalid([{ field: WHOLE_PAYLOAD, messages: [why] }]);
    }
  }
}

export function validationPipe(): ValidationPipe {
  return new BoundedValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors: ValidationError[]) =>
      new ApiError(
        HttpStatus.BAD_REQUEST,
        'REQUEST.VALIDATION_FAILED',
        'The request body is invalid; see errors for each field.',
        fieldErrors(errors),
      ),
  });
}

/** Answers with `error` in the shape every HTTP error has, from code outside Nest's handlers. */
export function sendApiError(req: Request, res: Response, error: ApiError): void {
  if (error instanceof RateLimitedError)
    res.setHeader('retry-after', String(error.retryAfterSeconds));
  res.status(error.getStatus()).json({
    code: error.code,
    message: error.message,
    errors: error.details,
    correlationId: (req as RequestWithCorrelation).correlationId,
  });
}

/** Renders every HTTP error as `{ code, message, correlationId, errors? }`. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<RequestWithCorrelation>();
    const res = ctx.getResponse<Response>();
    const correlationId = correlate(req, res);
    let status = HttpStatus.INTERNAL_SERVER_ERROR;
    let body: Record<string, unknown> = {
      code: 'INTERNAL.ERROR',
      message: 'Internal error; quote the correlation id.',
    };
    if (exception instanceof ApiError) {
      if (exception instanceof RateLimitedError)
        res.setHeader('retry-after', String(exception.retryAfterSeconds));
      status = exception.getStatus();
      body = { code: exception.code, message: exception.message, errors: exception.details };
    } else if (exception instanceof BadRequestException) {
      status = exception.getStatus();
      body = { code: 'REQUEST.MALFORMED', message: exception.message };
    } else if (exception instanceof HttpException && exception.getStatus() === 413) {
      status = exception.getStatus();
      const limit = (exception.cause as { limit?: number } | undefined)?.limit;
      body = {
        code: 'REQUEST.BODY_TOO_LARGE',
        message: `The body is larger than this endpoint accepts${limit ? ` (${limit} bytes)` : ''}.`,
      };
    } else if (exception instanceof HttpException) {
      status = exception.getStatus();
      body = { code: `HTTP.${status}`, message: exception.message };
    } else if (dataExceptionState(exception)) {
      // A value from the request that the database refuses to hold or compare: the request's fault.
      const sqlState = dataExceptionState(exception);
      this.logger.warn(
        { correlationId, path: req.path, sqlState },
        'value refused by the database',
      );
      status = HttpStatus.BAD_REQUEST;
      body = {
        code: 'REQUEST.INVALID_VALUE',
        message:
          'A value in the request cannot be stored or compared (a NUL character, a date or ' +
          `number out of range; SQLSTATE ${sqlState}).`,
      };
    } else {
      this.logger.error({ err: exception, correlationId, path: req.path }, 'unhandled error');
    }
    res.status(status).json({ ...body, correlationId });
  }
}

/**
 * The SQLSTATE of a PostgreSQL "data exception" (class 22: a NUL byte, a date or number out
 * of range, text that is no timestamp), which a query fails with when a value it was given
 * cannot be held; undefined for any other error.
 */
function dataExceptionState(e: unknown): string | undefined {
  const { code, driverError } = (e ?? {}) as { code?: unknown; driverError?: { code?: unknown } };
  const state = driverError?.code ?? code;
  return typeof state === 'string' && /^22[0-9A-Z]{3}$/.test(state) ? state : undefined;
}
