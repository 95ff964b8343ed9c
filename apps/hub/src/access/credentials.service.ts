import { Inject, Injectable } from '@nestjs/common';
import { returning } from '@lgsp/persistence';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { DataSource, type EntityManager, IsNull } from 'typeorm';
import { Credential, type Role } from './credential.entity';

export interface Principal {
  role: Role;
  /** The member system, for SYSTEM keys. */
  system?: string;
  credentialId: string;
  /** The credential's label: who holds it, as the administrator named them. */
  label: string;
}

/** Why a key that was given is refused, with what the caller is told. */
export const CREDENTIAL_REFUSALS = {
  'HUB.INVALID_CREDENTIAL': 'The API key is unknown or revoked.',
  'HUB.CREDENTIAL_EXPIRED': 'The API key has expired; ask an administrator for a new one.',
} as const;
export type CredentialRefusal = keyof typeof CREDENTIAL_REFUSALS;

export type Authentication = { principal: Principal } | { refusal: CredentialRefusal };

export interface IssueRequest {
  role: Role;
  label: string;
  system?: string;
  expiresAt?: Date;
  /** Rotation: the credential the new one replaces (which keeps working until revoked or expired). */
  replacesId?: string;
}

export const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

/** Issues, revokes and resolves API keys. A key is kept only as its SHA-256. */
@Injectable()
export class CredentialsService {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async issue(tx: EntityManager, r: IssueRequest): Promise<{ id: string; apiKey: string }> {
    const apiKey = `lgsp_${(r.system ?? r.role).toLowerCase()}_${randomBytes(24).toString('base64url')}`;
    const id = randomUUID();
    await tx.getRepository(Credential).insert({
      id,
      keySha256: sha256(apiKey),
      role: r.role,
      systemCode: r.system ?? null,
      label: r.label,
      revokedAt: null,
      expiresAt: r.expiresAt ?? null,
      replacesId: r.replacesId ?? null,
    });
    return { id, apiKey };
  }

  /** The credential, if it exists and is not revoked (it may have expired). */
  active(tx: EntityManager, id: string): Promise<Credential | null> {
    return tx.getRepository(Credential).findOneBy({ id, revokedAt: IsNull() });
  }

  async revoke(tx: EntityManager, id: string): Promise<boolean> {
    const r = await tx
      .getRepository(Credential)
      .update({ id, revokedAt: IsNull() }, { revokedAt: new Date() });
    return !!r.affected;
  }

  /** Brings a credential's expiry forward to `at` (never later than it already was). */
  async expireBy(tx: EntityManager, id: string, at: Date): Promise<Date> {
    const [row] = await returning<{ expires_at: Date }>(
      tx,
      `UPDATE credentials SET expires_at = LEAST(COALESCE(expires_at, $2), $2)
        WHERE id = $1 RETURNING expires_at`,
      [id, at],
    );
    return row?.expires_at ?? at;
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
        expiresAt: true,
        replacesId: true,
      },
      order: { createdAt: 'ASC' },
    });
  }

  async resolve(apiKey: string, now = new Date()): Promise<Authentication> {
    const found = await this.dataSource
      .getRepository(Credential)
      .findOneBy({ keySha256: sha256(apiKey), revokedAt: IsNull() });
    if (!found) return { refusal: 'HUB.INVALID_CREDENTIAL' };
    if (found.expiresAt && found.expiresAt <= now) return { refusal: 'HUB.CREDENTIAL_EXPIRED' };
    return {
      principal: {
        role: found.role,
        system: found.systemCode ?? undefined,
        credentialId: found.id,
        label: found.label,
      },
    };
  }
}
