import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import type { FindOptionsOrder, FindOptionsWhere, ObjectLiteral, Repository } from 'typeorm';

/** `?limit=&offset=` of a list endpoint. */
export class PageQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset?: number;
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export async function findPage<T extends ObjectLiteral>(
  repo: Repository<T>,
  where: FindOptionsWhere<T>,
  order: FindOptionsOrder<T>,
  q: PageQuery,
): Promise<Page<T>> {
  const limit = q.limit ?? 50;
  const offset = q.offset ?? 0;
  const [items, total] = await repo.findAndCount({ where, order, take: limit, skip: offset });
  return { items, total, limit, offset };
}
