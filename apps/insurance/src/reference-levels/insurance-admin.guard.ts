import {
  type CanActivate,
  type ExecutionContext,
  HttpStatus,
  Inject,
  Injectable,
} from '@nestjs/common';
import { ApiError, apiKeyOf, type RequestWithCorrelation } from '@lgsp/platform';
import { createHash, timingSafeEqual } from 'node:crypto';
import { INSURANCE_CONFIG, type InsuranceConfig } from '../insurance.config';

export type RequestWithAdmin = RequestWithCorrelation & { adminLabel?: string };

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/**
 * Lets through only a request carrying INSURANCE_ADMIN_KEY (in X-Api-Key or as a Bearer token).
 * The keys are compared as SHA-256 digests with timingSafeEqual: equal lengths, constant time.
 * The request is labelled `INSURANCE_ADMIN_KEY#<first 8 hex digits of the key's digest>`, so
 * the change log tells keys apart across a rotation without holding anything that opens them.
 */
@Injectable()
export class InsuranceAdminGuard implements CanActivate {
  private readonly keyDigest: Buffer | undefined;
  private readonly label: string | undefined;

  constructor(@Inject(INSURANCE_CONFIG) config: InsuranceConfig) {
    const key = config.INSURANCE_ADMIN_KEY;
    this.keyDigest = key ? sha256(key) : undefined;
    this.label = this.keyDigest
      ? `INSURANCE_ADMIN_KEY#${this.keyDigest.toString('hex').slice(0, 8)}`
      : undefined;
  }

  canActivate(ctx: ExecutionContext): boolean {
    const req = ctx.switchToHttp().getRequest<RequestWithAdmin>();
    if (!this.keyDigest || !this.label)
      throw new ApiError(
        HttpStatus.FORBIDDEN,
        'INSURANCE.ADMINISTRATION_DISABLED',
        'This service has no administrator key (INSURANCE_ADMIN_KEY); its tables change only by migration.',
      );
    const key = apiKeyOf(req);
    if (!key)
      throw new ApiError(
        HttpStatus.UNAUTHORIZED,
        'INSURANCE.UNAUTHENTICATED',
        'Send the insurance administrator key in X-Api-Key.',
      );
    if (!timingSafeEqual(sha256(key), this.keyDigest))
      throw new ApiError(
        HttpStatus.UNAUTHORIZED,
        'INSURANCE.INVALID_CREDENTIAL',
        'The API key is not the insurance administrator key.',
      );
    req.adminLabel = this.label;
    return true;
  }
}
