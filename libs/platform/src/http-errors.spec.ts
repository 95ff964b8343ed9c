import { type ArgumentsHost, BadRequestException } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsString } from 'class-validator';
import type { Logger } from 'pino';
import { QueryFailedError } from 'typeorm';
import { ApiError, CORRELATION_HEADER, HttpErrorFilter, validationPipe } from './http-errors';

class NameDto {
  @IsString()
  name: string;
}

/** `{"a": [{"a": … }]}`, `levels` deep, built without recursion. */
function nested(levels: number): object {
  let v: unknown = 'x';
  for (let i = 0; i < levels; i++) v = i % 2 ? [v] : { a: v };
  return v as object;
}

describe('validationPipe', () => {
  const body = { type: 'body' as const, metatype: NameDto };

  it('refuses a body nested too deep with a coded 400 instead of overflowing the stack', async () => {
    const refused: unknown = await validationPipe()
      .transform({ name: nested(100_000) }, body)
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused).toMatchObject({ code: 'REQUEST.VALIDATION_FAILED', status: 400 });
  });

  it('refuses a reserved key, and input class-transformer fails on, with a coded 400', async () => {
    const constructorKey = validationPipe().transform(
      JSON.parse('{"name":{"constructor":1}}'),
      body,
    );
    await expect(constructorKey).rejects.toMatchObject({
      code: 'REQUEST.VALIDATION_FAILED',
      details: [{ field: 'name.constructor', messages: [expect.any(String) as string] }],
    });
    class Limit {
      @Type(() => Number)
      @IsInt()
      limit: number;
    }
    const unreadable = validationPipe().transform(
      { limit: { toString: '' } },
      { type: 'body', metatype: Limit },
    );
    await expect(unreadable).rejects.toBeInstanceOf(ApiError);
  });

  it('still validates a body of ordinary depth field by field', async () => {
    await expect(validationPipe().transform({ name: 'An' }, body)).resolves.toBeInstanceOf(NameDto);
    const refused = (await validationPipe()
      .transform({ name: { a: 1 } }, body)
      .catch((e: unknown) => e)) as ApiError;
    expect(refused.details?.map((d) => d.field)).toEqual(['name']);
  });
});

describe('HttpErrorFilter', () => {
  function answer(req: Record<string, unknown>) {
    const res = {
      headers: {} as Record<string, string>,
      headersSent: false,
      statusCode: 0,
      body: undefined as unknown,
      setHeader(k: string, v: string) {
        this.headers[k] = v;
      },
      status(code: number) {
        this.statusCode = code;
        return this;
      },
      json(b: unknown) {
        this.body = b;
      },
    };
    const host = {
      switchToHttp: () => ({ getRequest: () => req, getResponse: () => res }),
    } as unknown as ArgumentsHost;
    const logger = { error: jest.fn() } as unknown as Logger;
    new HttpErrorFilter(logger).catch(new BadRequestException('Unexpected token'), host);
    return res;
  }

  it('gives a correlation id to a request refused before the middleware saw it', () => {
    const res = answer({ path: '/births', header: () => undefined });
    const { correlationId } = res.body as { correlationId: string };
    expect(res.statusCode).toBe(400);
    expect(res.body).toMatchObject({ code: 'REQUEST.MALFORMED' });
    expect(correlationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers[CORRELATION_HEADER]).toBe(correlationId);
  });

  it("keeps the caller's well-formed correlation id, and the one the middleware gave", () => {
    const given = answer({ path: '/births', header: () => 'case-42' });
    expect(given.body).toMatchObject({ correlationId: 'case-42' });
    const seen = answer({ path: '/births', header: () => undefined, correlationId: 'c-1' });
    expect(seen.body).toMatchObject({ correlationId: 'c-1' });
  });
});

describe('HttpErrorFilter and the database', () => {
  function answer(exception: unknown) {
    const res = {
      headersSent: false,
      statusCode: 0,
      body: undefined as unknown,
      setHeader: () => undefined,
      status(code: number) {
        this.statusCode = code;
        return this;
      },
      json(b: unknown) {
        this.body = b;
      },
    };
    const req = { path: '/cards/x', header: () => undefined };
    const host = {
      switchToHttp: () => ({ getRequest: () => req, getResponse: () => res }),
    } as unknown as ArgumentsHost;
    const logger = { error: jest.fn(), warn: jest.fn() };
    new HttpErrorFilter(logger as unknown as Logger).catch(exception, host);
    return { res, logger };
  }

  const failed = (sqlState: string) =>
    new QueryFailedError('SELECT …', [], Object.assign(new Error('x'), { code: sqlState }));

  it.each(['22021', '22008', '22007', '22003', '22P02'])(
    'answers a value the database refuses (SQLSTATE %s) with a coded 400',
    (state) => {
      const { res, logger } = answer(failed(state));
      expect(res.statusCode).toBe(400);
      expect(res.body).toMatchObject({ code: 'REQUEST.INVALID_VALUE' });
      expect(logger.error).not.toHaveBeenCalled();
    },
  );

  it('still answers any other failure of the database with a 500, logged', () => {
    const { res, logger } = answer(failed('57014'));
    expect([res.statusCode, (res.body as { code: string }).code]).toEqual([500, 'INTERNAL.ERROR']);
    expect(logger.error).toHaveBeenCalled();
  });
});
