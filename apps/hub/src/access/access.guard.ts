import {
  type CanActivate,
  type ExecutionContext,
  HttpStatus,
  Inject,
  Injectable,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiError, type RequestWithCorrelation } from '@lgsp/platform';
import { timingSafeEqual } from 'node:crypto';
import type { Role } from './credential.entity';
import { CredentialsService, type Principal, sha256 } from './credentials.service';

const ROLES_KEY = 'lgsp:roles';

/** Who may call an endpoint; endpoints without it are open (health, metrics, catalogue reads). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

export const ADMIN_KEY = Symbol('ADMIN_KEY');

export type RequestWithPrincipal = RequestWithCorrelation & { principal?: Principal };

/** The API key of a request: `X-Api-Key: <key>` or `Authorization: Bearer <key>`. */
export function apiKeyOf(req: RequestWithCorrelation): string | undefined {
  const header = req.header('x-api-key');
  if (header) return header;
  const auth = req.header('authorization');
  return auth?.startsWith('Bearer ') ? auth.slice('Bearer '.length) : undefined;
}

/** Resolves a key: the bootstrap administrator key from configuration, or an issued credential. */
@Injectable()
export class Authenticator {
  private readonly adminKeyHash: Buffer;

  constructor(
    @Inject(CredentialsService) private readonly credentials: CredentialsService,
    @Inject(ADMIN_KEY) adminKey: string,
  ) {
    this.adminKeyHash = Buffer.from(sha256(adminKey), 'hex');
  }

  async principal(apiKey: string): Promise<Principal | undefined> {
    if (timingSafeEqual(Buffer.from(sha256(apiKey), 'hex'), this.adminKeyHash)) {
      return { role: 'ADMIN', credentialId: 'configured-admin-key' };
    }
    return this.credentials.resolve(apiKey);
  }
}

@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(Authenticator) private readonly authenticator: Authenticator,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, [
      ctx.getHandler(),
      ctx.getClass(),
    ]);
    if (!roles || ctx.getType() !== 'http') return true;
    const req = ctx.switchToHttp().getRequest<RequestWithPrincipal>();
    const key = apiKeyOf(req);
    if (!key)
      throw new ApiError(
        HttpStatus.UNAUTHORIZED,
        'HUB.UNAUTHENTICATED',
        'Send an API key in X-Api-Key.',
      );
    const principal = await this.authenticator.principal(key);
    if (!principal)
      throw new ApiError(
        HttpStatus.UNAUTHORIZED,
        'HUB.INVALID_CREDENTIAL',
        'The API key is unknown or revoked.',
      );
    if (!roles.includes(principal.role)) {
      throw new ApiError(
        HttpStatus.FORBIDDEN,
        'HUB.FORBIDDEN',
        `This needs the role ${roles.join(' or ')}.`,
      );
    }
    req.principal = principal;
    return true;
  }
}
