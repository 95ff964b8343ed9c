import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Inject,
  Param,
  ParseUUIDPipe,
  Post,
  Req,
} from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse } from '@nestjs/swagger';
import { ApiError } from '@lgsp/platform';
import {
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
  ValidateIf,
} from 'class-validator';
import { DataSource } from 'typeorm';
import { recordAdminAction } from '../admin-actions/admin-actions';
import { MemberSystem } from '../catalogue/catalogue.entities';
import { type RequestWithPrincipal, Roles } from './access.guard';
import { type Credential, ROLES, type Role } from './credential.entity';
import { CredentialRecord, IssuedCredential, RotatedCredential } from './credential.dto';
import { CredentialsService } from './credentials.service';

export class IssueCredentialDto {
  @IsIn(ROLES)
  role: Role;

  /** Required for SYSTEM keys: the member system the key belongs to. */
  @ValidateIf((o: IssueCredentialDto) => o.role === 'SYSTEM')
  @IsString()
  system?: string;

  @IsOptional()
  @IsString()
  @Length(1, 200)
  label?: string;

  /** Refused from this time on (HUB.CREDENTIAL_EXPIRED); none: until revoked. */
  @IsOptional()
  @IsISO8601()
  expiresAt?: string;
}

export class RotateCredentialDto {
  /** When the new key expires; none: until revoked. */
  @IsOptional()
  @IsISO8601()
  expiresAt?: string;

  /** The old key stops working this many seconds from now (none: when it is revoked). */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(365 * 86_400)
  retireOldAfterSeconds?: number;
}

interface Issued {
  id: string;
  apiKey: string;
  role: Role;
  system?: string;
  label: string;
  expiresAt: string | null;
}

/** A future time from the request, or a 400 with a stable code. */
function futureOrNull(iso: string | undefined): Date | null {
  if (iso === undefined) return null;
  const at = new Date(iso);
  if (at.getTime() <= Date.now())
    throw new ApiError(HttpStatus.BAD_REQUEST, 'HUB.EXPIRY_IN_THE_PAST', 'expiresAt has passed.');
  return at;
}

const notFound = (id: string) =>
  new ApiError(HttpStatus.NOT_FOUND, 'HUB.CREDENTIAL_NOT_FOUND', `No active credential ${id}.`);

/**
 * Credentials, by an administrator. Each change is recorded as an administrator action in
 * the same transaction. Rotation without downtime: rotate (or issue a second key for the
 * same system), move the caller to the new key, then revoke the old one (or let
 * `retireOldAfterSeconds` expire it).
 */
@Controller('credentials')
@Roles('ADMIN')
export class CredentialsController {
  constructor(
    @Inject(CredentialsService) private readonly credentials: CredentialsService,
    @Inject(DataSource) private readonly dataSource: DataSource,
  ) {}

  /** Issues a key; the answer is the only time the key is shown. */
  @Post()
  @ApiCreatedResponse({ type: IssuedCredential })
  async issue(@Body() dto: IssueCredentialDto, @Req() req: RequestWithPrincipal): Promise<Issued> {
    const system = dto.role === 'SYSTEM' ? dto.system : undefined;
    const expiresAt = futureOrNull(dto.expiresAt);
    const label = dto.label ?? `${dto.role.toLowerCase()} key`;
    return this.dataSource.transaction(async (tx) => {
      if (system && !(await tx.getRepository(MemberSystem).existsBy({ code: system }))) {
        throw new ApiError(
          HttpStatus.NOT_FOUND,
          'CATALOGUE.SYSTEM_NOT_FOUND',
          `No system ${system}.`,
        );
      }
      const r = { role: dto.role, label, system, expiresAt: expiresAt ?? undefined };
      const { id, apiKey } = await this.credentials.issue(tx, r);
      const details = { role: dto.role, system, label, expiresAt };
      await recordAdminAction(tx, req, { action: 'credential.issued', target: id, details });
      return {
        id,
        apiKey,
        role: dto.role,
        system,
        label,
        expiresAt: expiresAt?.toISOString() ?? null,
      };
    });
  }

  /**
   * Issues a new key with the same role, system and label; the old one keeps working until
   * it is revoked, or until `retireOldAfterSeconds` have passed.
   */
  @Post(':id/rotate')
  @ApiCreatedResponse({ type: RotatedCredential })
  async rotate(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: RotateCredentialDto,
    @Req() req: RequestWithPrincipal,
  ): Promise<Issued & { replaces: string; oldExpiresAt: string | null }> {
    const expiresAt = futureOrNull(dto.expiresAt);
    return this.dataSource.transaction(async (tx) => {
      const old = await this.credentials.active(tx, id);
      if (!old) throw notFound(id);
      const system = old.systemCode ?? undefined;
      const { id: newId, apiKey } = await this.credentials.issue(tx, {
        role: old.role,
        label: old.label,
        system,
        expiresAt: expiresAt ?? undefined,
        replacesId: old.id,
      });
      const oldExpiresAt =
        dto.retireOldAfterSeconds === undefined
          ? old.expiresAt
          : await this.credentials.expireBy(
              tx,
              old.id,
              new Date(Date.now() + dto.retireOldAfterSeconds * 1000),
            );
      await recordAdminAction(tx, req, {
        action: 'credential.rotated',
        target: newId,
        details: {
          replaces: old.id,
          role: old.role,
          system,
          label: old.label,
          expiresAt,
          oldExpiresAt,
        },
      });
      return {
        id: newId,
        apiKey,
        role: old.role,
        system,
        label: old.label,
        expiresAt: expiresAt?.toISOString() ?? null,
        replaces: old.id,
        oldExpiresAt: oldExpiresAt?.toISOString() ?? null,
      };
    });
  }

  @Get()
  @ApiOkResponse({ description: 'Oldest first, revoked ones too.', type: [CredentialRecord] })
  list(): Promise<Credential[]> {
    return this.credentials.list();
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  async revoke(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Req() req: RequestWithPrincipal,
  ): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      if (!(await this.credentials.revoke(tx, id))) throw notFound(id);
      await recordAdminAction(tx, req, { action: 'credential.revoked', target: id, details: {} });
    });
  }
}
