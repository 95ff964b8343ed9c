import { Controller, Get, Inject } from '@nestjs/common';
import { SealKeyring, SealSigner } from './seal-signature';

/**
 * The public keys that seals are checked with. Open, like the catalogue reads: a public key
 * gives nobody any power, and whoever holds an export — a court, another agency — needs it
 * to check the export without an account on the hub. Trust comes from comparing the key id
 * with a copy published elsewhere, not from where this answer came from.
 */
@Controller('audit')
export class SealKeysController {
  constructor(
    @Inject(SealSigner) private readonly signer: SealSigner,
    @Inject(SealKeyring) private readonly keyring: SealKeyring,
  ) {}

  /** The key new seals are signed with, and every key older seals may carry (by key id). */
  @Get('public-key')
  publicKey() {
    const keys = this.keyring
      .publicKeys()
      .map((k) => ({ ...k, current: k.keyId === this.signer.keyId }));
    const current = keys.find((k) => k.current)!;
    return {
      algorithm: 'Ed25519',
      keyId: current.keyId,
      publicKeyPem: current.publicKeyPem,
      keys,
    };
  }
}
