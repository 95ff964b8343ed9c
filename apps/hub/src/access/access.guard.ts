import {
  type CanActivate,
  type ExecutionContext,
  HttpStatus,
  Inject,
  Injectable,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  ApiError,
  apiKeyOf,
  RateLimitedError,
  type RequestWithCorrelation,
  TokenBuckets,
} from '@lgsp/platform';
import { timingSafeEqual } from 'node:crypto';
import type { Role } from './credential.entity';
import {
  type Authentication,
  CREDENTIAL_REFUSALS,
  CredentialsService,
  type Principal,
  sha256,
} from './credentials.service';

const ROLES_KEY = 'lgsp:roles';

/** Who may call an endpoint; endpoints without it are open (health, metrics, catalogue reads). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

export const ADMIN_KEY = Symbol('ADMIN_KEY');
/** Failed authentications a client address may make per minute (HUB_AUTH_FAILURES_PER_MINUTE). */
export const AUTH_FAILURES_PER_MINUTE = Symbol('AUTH_FAILURES_PER_MINUTE');

export type RequestWithPrincipal = RequestWithCorrelation & { principal?: Principal };

/**
 * Resolves a key: the bootstrap administrator key from configuration, or an issued credential.
 * Failed attempts are counted per client address: a caller that makes up a new key for every
 * request is counted per key by the rate limit, and would otherwise never be held back.
 */
@Injectable()
export class Authenticator {
  private readonly adminKeyHash: Buffer;
  private readonly failures: TokenBuckets;

  constructor(
    @Inject(CredentialsService) private readonly credentials: CredentialsService,
    @Inject(ADMIN_KEY) adminKey: string,
    @Inject(AUTH_FAILURES_PER_MINUTE) failuresPerMinute: number,
  ) {
    this.adminKeyHash = Buffer.from(sha256(adminKey), 'hex');
    this.failures = new TokenBuckets({
      perSecond: failuresPerMinute / 60,
      burst: Math.max(1, failuresPerMinute),
    });
  }

  /**
   * The principal of `apiKey`, or why it is refused. Past the failures allowed to `address`
   * the answer is a 429 (REQUEST.RATE_LIMITED), thrown: a flood of made-up keys is not
   * logged as REJECTED transactions.
   */
  async authenticate(apiKey: string, address: string | undefined): Promise<Authentication> {
    if (timingSafeEqual(Buffer.from(sha256(apiKey), 'hex'), this.adminKeyHash)) {
      return {
        principal: { role: 'ADMIN', credentialId: 'configured-admin-key', label: 'HUB_ADMIN_KEY' },
      };
    }
    const result = await this.credentials.resolve(apiKey);
    if ('refusal' in result) {
      const taken = this.failures.take(`address:${address ?? 'unknown'}`);
      if (!taken.allowed)
        throw new RateLimitedError(
          taken.retryAfterMs,
          (s) => `Too many failed authentications from this address; try again in ${s} s.`,
        );
    }
    return result;
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
    const result = await this.authenticator.authenticate(key, req.ip);
    if ('refusal' in result)
      throw new ApiError(
        HttpStatus.UNAUTHORIZED,
        result.refusal,
        CREDENTIAL_REFUSALS[result.refusal],
      );
    if (!roles.includes(result.principal.role)) {
      throw new ApiError(
        HttpStatus.FORBIDDEN,
        'HUB.FORBIDDEN',
        `This needs the role ${roles.join(' or ')}.`,
      );
    }
    req.principal = result.principal;
    return true;
  }
}
