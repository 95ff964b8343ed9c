import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ROLES } from './credential.entity';

/** A credential as `GET /credentials` lists it: never its key, nor the key's hash. */
export class CredentialRecord {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: [...ROLES] }) role: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The member system a SYSTEM key belongs to.',
  })
  systemCode: string | null;
  @ApiProperty() label: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revokedAt: string | null;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'Refused from this time on; null: until revoked.',
  })
  expiresAt: string | null;
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The credential this one was issued to replace (rotation).',
  })
  replacesId: string | null;
}

/** A key just issued: the only answer that shows it. */
export class IssuedCredential {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: 'The key itself, shown this once.' }) apiKey: string;
  @ApiProperty({ enum: [...ROLES] }) role: string;
  @ApiPropertyOptional({ description: 'For SYSTEM keys: the member system.' }) system?: string;
  @ApiProperty() label: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) expiresAt: string | null;
}

/** A key issued in place of another (`POST /credentials/{id}/rotate`). */
export class RotatedCredential extends IssuedCredential {
  @ApiProperty({ format: 'uuid', description: 'The credential replaced.' }) replaces: string;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When the old key stops working; null: when it is revoked.',
  })
  oldExpiresAt: string | null;
}
