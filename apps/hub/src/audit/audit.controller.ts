import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Inject,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsISO8601, IsOptional, Min } from 'class-validator';
import type { Response } from 'express';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import QueryStream from 'pg-query-stream';
import { DataSource } from 'typeorm';
import { type RequestWithPrincipal, Roles } from '../access/access.guard';
import { AuditLogPage, AuditQueryRecord, LogVerificationAnswer } from './audit-answers.dto';
import { AuditQuery } from './audit-query.entity';
import { recordAuditQuery } from './audit-trail';
import {
  AUDIT_COLUMNS,
  type AuditFilter,
  AuditQueryDto,
  auditWhere,
  csvHeader,
  csvLine,
  ExportDto,
  ndjsonLine,
  recordedFilter,
} from './audit-log';
import { sealedExportLines } from './sealed-export';
import { VerifyLog } from './verify-log';

export const SUBJECT_HASH_KEY = Symbol('SUBJECT_HASH_KEY');

export class VerifyDto {
  @IsOptional()
  @IsISO8601()
  from?: string;

  @IsOptional()
  @IsISO8601()
  to?: string;

  /** Every seal from this sequence on must be signed (default: from the first signed seal). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  signedFrom?: number;
}

/** The auditors' view of the exchange log. Every query, export and verification is recorded. */
@Controller('audit')
@Roles('AUDITOR', 'ADMIN')
export class AuditController {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(VerifyLog) private readonly verifyLog: VerifyLog,
    @Inject(SUBJECT_HASH_KEY) private readonly subjectHashKey: string,
  ) {}

  /** Log entries by filter, in log order, a page at a time (keyset: `after` = the previous `next`). */
  @Get('log')
  @ApiOkResponse({ type: AuditLogPage })
  async log(@Query() q: AuditQueryDto, @Req() req: RequestWithPrincipal) {
    const { after, limit = 100, ...filter } = q;
    const where = auditWhere(filter, this.subjectHashKey);
    const params = [...where.params, after ?? '0', limit];
    const items = await this.dataSource.query<Record<string, unknown>[]>(
      `SELECT ${AUDIT_COLUMNS.join(', ')} FROM log_entries
        WHERE ${where.sql} AND id > $${params.length - 1} ORDER BY id LIMIT $${params.length}`,
      params,
    );
    await this.record(req, 'query', filter, items.length);
    return { items, next: items.length === limit ? String(items[items.length - 1].id) : null };
  }

  /** The same as GET /audit/log, with the filter in the body: a citizen's ID number stays out of URLs. */
  @Post('search')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: AuditLogPage })
  search(@Body() q: AuditQueryDto, @Req() req: RequestWithPrincipal) {
    return this.log(q, req);
  }

  /** The same as GET /audit/export, with the filter in the body (kept out of URLs and their logs). */
  @Post('export')
  @HttpCode(HttpStatus.OK)
  exportByBody(
    @Body() q: ExportDto,
    @Req() req: RequestWithPrincipal,
    @Res() res: Response,
  ): Promise<void> {
    return this.export(q, req, res);
  }

  /**
   * The same filter, streamed as CSV, NDJSON or a sealed export (NDJSON with the seals that
   * cover the entries, checkable offline): rows go out as the database yields them.
   */
  @Get('export')
  async export(
    @Query() q: ExportDto,
    @Req() req: RequestWithPrincipal,
    @Res() res: Response,
  ): Promise<void> {
    const { format, ...filter } = q;
    const where = auditWhere(filter, this.subjectHashKey);
    const runner = this.dataSource.createQueryRunner();
    const client = (await runner.connect()) as PoolClient;
    let rows = 0;
    try {
      res
        .status(200)
        .setHeader(
          'content-type',
          format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson',
        );
      const file = format === 'sealed' ? 'sealed.ndjson' : format;
      res.setHeader('content-disposition', `attachment; filename="exchange-log.${file}"`);
      if (format === 'sealed') {
        const recorded = recordedFilter(filter, this.subjectHashKey);
        await pipeline(
          Readable.from(sealedExportLines(client, where, recorded, () => rows++)),
          res,
        );
        return;
      }
      if (format === 'csv') res.write(csvHeader);
      const source = client.query(
        new QueryStream(
          `SELECT ${AUDIT_COLUMNS.join(', ')} FROM log_entries WHERE ${where.sql} ORDER BY id`,
          where.params,
          {
            batchSize: 1000,
          },
        ),
      );
      const toLines = new Transform({
        writableObjectMode: true,
        transform(row: Record<string, unknown>, _enc, done) {
          rows++;
          done(null, format === 'csv' ? csvLine(row) : ndjsonLine(row));
        },
      });
      await pipeline(source, toLines, res);
    } finally {
      await runner.release();
      await this.record(req, 'export', filter, rows);
    }
  }

  /**
   * Recomputes the seals over a range (or the whole log), checks their signatures, and names
   * the first forged seal or altered, removed or inserted entry.
   */
  @Post('verify')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: LogVerificationAnswer })
  async verify(@Body() dto: VerifyDto, @Req() req: RequestWithPrincipal) {
    const result = await this.verifyLog.verify({
      from: dto.from ? new Date(dto.from) : undefined,
      to: dto.to ? new Date(dto.to) : undefined,
      signedFrom: dto.signedFrom,
    });
    await this.record(req, 'verify', dto, result.checkedEntries);
    return result;
  }

  @Get('queries')
  @ApiOkResponse({ description: 'The newest 200, newest first.', type: [AuditQueryRecord] })
  queries() {
    return this.dataSource.getRepository(AuditQuery).find({ order: { at: 'DESC' }, take: 200 });
  }

  private async record(
    req: RequestWithPrincipal,
    action: string,
    filter: AuditFilter | VerifyDto,
    rowCount: number,
  ) {
    await recordAuditQuery(
      this.dataSource,
      req,
      action,
      recordedFilter(filter, this.subjectHashKey),
      rowCount,
    );
  }
}
