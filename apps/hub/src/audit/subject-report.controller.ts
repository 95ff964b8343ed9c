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
import { ApiExtraModels, ApiOkResponse, getSchemaPath } from '@nestjs/swagger';
import { subjectKey } from '@lgsp/messaging';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { type RequestWithPrincipal, Roles } from '../access/access.guard';
import { SUBJECT_HASH_KEY } from './audit.controller';
import { recordAuditQuery } from './audit-trail';
import { subjectReport } from './subject-report';
import { SubjectReport, SubjectReportRequest } from './subject-report.dto';
import { subjectReportCsv, subjectReportHtml } from './subject-report-render';

/** The printable page's own inline styles, and nothing else, may apply. */
const HTML_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** JSON by default; `format=csv` and `format=html` give the same rows as a document. */
const REPORT_RESPONSE = {
  description: 'Every exchange about the citizen, oldest first.',
  content: {
    'application/json': { schema: { $ref: getSchemaPath(SubjectReport) } },
    'text/csv': { schema: { type: 'string' as const } },
    'text/html': { schema: { type: 'string' as const } },
  },
};

/**
 * A citizen's own exchange history: every exchange about them, with why each system received
 * it. The ID number is hashed here and goes no further; each report is itself audited.
 */
@Controller('audit')
@Roles('AUDITOR', 'ADMIN')
@ApiExtraModels(SubjectReport)
export class SubjectReportController {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(SUBJECT_HASH_KEY) private readonly subjectHashKey: string,
  ) {}

  /** Prefer `POST /audit/subject-report`: an ID number in a URL ends up in proxies' logs. */
  @Get('subject-report')
  @ApiOkResponse(REPORT_RESPONSE)
  byQuery(
    @Query() q: SubjectReportRequest,
    @Req() req: RequestWithPrincipal,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.report(q, req, res);
  }

  /** The same, with the ID number in the body. */
  @Post('subject-report')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse(REPORT_RESPONSE)
  byBody(
    @Body() q: SubjectReportRequest,
    @Req() req: RequestWithPrincipal,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.report(q, req, res);
  }

  private async report(
    q: SubjectReportRequest,
    req: RequestWithPrincipal,
    res: Response,
  ): Promise<SubjectReport | string> {
    const format = q.format ?? 'json';
    const subjectHash = subjectKey(this.subjectHashKey, q.citizenId);
    const report = await subjectReport(this.dataSource, subjectHash);
    await recordAuditQuery(
      this.dataSource,
      req,
      'subject-report',
      { citizenSubjectHash: subjectHash, format },
      report.exchanges.length,
    );
    if (format === 'json') return report;
    res.setHeader('cache-control', 'no-store');
    if (format === 'csv') {
      res.setHeader('content-type', 'text/csv; charset=utf-8');
      res.setHeader('content-disposition', 'attachment; filename="subject-report.csv"');
      return subjectReportCsv(report);
    }
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.setHeader('content-security-policy', HTML_POLICY);
    res.setHeader('content-disposition', 'inline; filename="subject-report.html"');
    return subjectReportHtml(report);
  }
}
