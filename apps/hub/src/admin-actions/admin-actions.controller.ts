import { Controller, Get, Inject, Query, Req } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsISO8601, IsNumberString, IsOptional, IsString, Max, Min } from 'class-validator';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { type RequestWithPrincipal, Roles } from '../access/access.guard';
import type { AdminAction } from './admin-action.entity';

export class AdminActionsQuery {
  /** An action or the start of one: `credential.` gives every credential action. */
  @IsOptional()
  @IsString()
  action?: string;

  /** The acting credential's id. */
  @IsOptional()
  @IsString()
  actor?: string;

  @IsOptional()
  @IsString()
  target?: string;

  @IsOptional()
  @IsISO8601()
  from?: string;

  @IsOptional()
  @IsISO8601()
  to?: string;

  /** Keyset cursor: the `next` of the previous page. */
  @IsOptional()
  @IsNumberString()
  after?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

const CONDITIONS: [keyof AdminActionsQuery, string][] = [
  ['action', 'starts_with(action, $n)'],
  ['actor', 'actor_credential_id = $n'],
  ['target', 'target = $n'],
  ['from', 'at >= $n::timestamptz'],
  ['to', 'at < $n::timestamptz'],
  ['after', 'id > $n::bigint'],
];

/** Administrator actions, oldest first, a page at a time; reading them is itself recorded. */
@Controller('audit')
@Roles('AUDITOR', 'ADMIN')
export class AdminActionsController {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  @Get('admin-actions')
  async list(@Query() q: AdminActionsQuery, @Req() req: RequestWithPrincipal) {
    const limit = q.limit ?? 100;
    const params: unknown[] = [];
    const where = CONDITIONS.filter(([k]) => q[k] !== undefined).map(([k, sql]) => {
      params.push(q[k]);
      return sql.replace('$n', `$${params.length}`);
    });
    params.push(limit);
    const items = await this.dataSource.query<AdminAction[]>(
      `SELECT id, at, actor_credential_id AS "actorCredentialId", actor_role AS "actorRole",
              actor_label AS "actorLabel", action, target, details, correlation_id AS "correlationId"
         FROM admin_actions WHERE ${where.join(' AND ') || 'true'} ORDER BY id LIMIT $${params.length}`,
      params,
    );
    const filter = { action: q.action, actor: q.actor, target: q.target, from: q.from, to: q.to };
    await this.dataSource.query(
      `INSERT INTO audit_queries (id, credential_id, role, action, filter, row_count)
       VALUES ($1, $2, $3, 'admin-actions', $4::jsonb, $5)`,
      [
        randomUUID(),
        req.principal?.credentialId ?? 'unknown',
        req.principal?.role ?? 'unknown',
        JSON.stringify(filter),
        items.length,
      ],
    );
    return { items, next: items.length === limit ? String(items[items.length - 1].id) : null };
  }
}
