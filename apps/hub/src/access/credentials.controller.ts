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
} from '@nestjs/common';
import { ApiError } from '@lgsp/platform';
import { IsIn, IsOptional, IsString, Length, ValidateIf } from 'class-validator';
import { DataSource } from 'typeorm';
import { MemberSystem } from '../catalogue/catalogue.entities';
import { Roles } from './access.guard';
import { type Credential, ROLES, type Role } from './credential.entity';
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
}

@Controller('credentials')
@Roles('ADMIN')
export class CredentialsController {
  constructor(
    @Inject(CredentialsService) private readonly credentials: CredentialsService,
    @Inject(DataSource) private readonly dataSource: DataSource,
  ) {}

  /** Issues a key; the answer is the only time the key is shown. */
  @Post()
  async issue(
    @Body() dto: IssueCredentialDto,
  ): Promise<{ id: string; apiKey: string; role: Role; system?: string }> {
    const system = dto.role === 'SYSTEM' ? dto.system : undefined;
    if (system && !(await this.dataSource.getRepository(MemberSystem).existsBy({ code: system }))) {
      throw new ApiError(
        HttpStatus.NOT_FOUND,
        'CATALOGUE.SYSTEM_NOT_FOUND',
        `No system ${system}.`,
      );
    }
    const issued = await this.credentials.issue(
      dto.role,
      dto.label ?? `${dto.role.toLowerCase()} key`,
      system,
    );
    return { ...issued, role: dto.role, system };
  }

  @Get()
  list(): Promise<Credential[]> {
    return this.credentials.list();
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  async revoke(@Param('id', new ParseUUIDPipe()) id: string): Promise<void> {
    if (!(await this.credentials.revoke(id))) {
      throw new ApiError(
        HttpStatus.NOT_FOUND,
        'HUB.CREDENTIAL_NOT_FOUND',
        `No active credential ${id}.`,
      );
    }
  }
}
