import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { DataSource, IsNull } from 'typeorm';
import { Credential, type Role } from './credential.entity';

export interface Principal {
  role: Role;
  /** The member system, for SYSTEM keys. */
  system?: string;
  credentialId: string;
}

export const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

/** Issues, revokes and resolves API keys. */
@Injectable()
export class CredentialsService {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async issue(role: Role, label: string, system?: string): Promise<{ id: string; apiKey: string }> {
    const apiKey = `lgsp_${(system ?? role).toLowerCase()}_${randomBytes(24).toString('base64url')}`;
    const id = randomUUID();
    await this.dataSource.getRepository(Credential).insert({
      id,
      keySha256: sha256(apiKey),
      role,
      systemCode: system ?? null,
      label,
      revokedAt: null,
    });
    return { id, apiKey };
  }

  async revoke(id: string): Promise<boolean> {
    const r = await this.dataSource
      .getRepository(Credential)
      .update({ id, revokedAt: IsNull() }, { revokedAt: new Date() });
    return !!r.affected;
  }

  list(): Promise<Credential[]> {
    return this.dataSource.getRepository(Credential).find({
      select: {
        id: true,
        role: true,
        systemCode: true,
        label: true,
        createdAt: true,
        revokedAt: true,
      },
      order: { createdAt: 'ASC' },
    });
  }

  async resolve(apiKey: string): Promise<Principal | undefined> {
    const found = await this.dataSource
      .getRepository(Credential)
      .findOneBy({ keySha256: sha256(apiKey), revokedAt: IsNull() });
    if (!found) return undefined;
    return { role: found.role, system: found.systemCode ?? undefined, credentialId: found.id };
  }
}
