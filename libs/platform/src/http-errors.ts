import {
  type ArgumentsHost,
  BadRequestException,
  Catch,
  type ExceptionFilter,
  HttpException,
  HttpStatus,
  type ValidationError,
  ValidationPipe,
} from '@nestjs/common';
import { fieldErrors, type FieldError } from '@lgsp/contracts';
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

/** The row a request asked for, or a 404 with a stable code. */
export function foundOr404<T>(row: T | null, code: string, message: string): T {
  if (row === null) throw new ApiError(HttpStatus.NOT_FOUND, code, message);
  return row;
}

export type RequestWithCorrelation = Request & { correlationId: string };

const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/** Every request carries a correlation id: the caller's (if well-formed) or a new one. */
export function correlationMiddleware(req: Request, res: Response, next: NextFunction): void {
  const given = req.header(CORRELATION_HEADER);
  const id = given && CORRELATION_ID.test(given) ? given : uuidv7();
  (req as RequestWithCorrelation).correlationId = id;
  res.setHeader(CORRELATION_HEADER, id);
  next();
}

export function validationPipe(): ValidationPipe {
  return new ValidationPipe({
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

/** Renders every HTTP error as `{ code, message, correlationId, errors? }`. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<RequestWithCorrelation>();
    const res = ctx.getResponse<Response>();
    const correlationId = req.correlationId;
    let status = HttpStatus.INTERNAL_SERVER_ERROR;
    let body: Record<string, unknown> = {
      code: 'INTERNAL.ERROR',
      message: 'Internal error; quote the correlation id.',
    };
    if (exception instanceof ApiError) {
      status = exception.getStatus();
      body = { code: exception.code, message: exception.message, errors: exception.details };
    } else if (exception instanceof BadRequestException) {
      status = exception.getStatus();
      body = { code: 'REQUEST.MALFORMED', message: exception.message };
    } else if (exception instanceof HttpException) {
      status = exception.getStatus();
      body = { code: `HTTP.${status}`, message: exception.message };
    } else {
      this.logger.error({ err: exception, correlationId, path: req.path }, 'unhandled error');
    }
    res.status(status).json({ ...body, correlationId });
  }
}
