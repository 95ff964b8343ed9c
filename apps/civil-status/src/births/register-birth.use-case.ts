import { Inject, Injectable } from '@nestjs/common';
import { type BirthRegisteredV1, today } from '@lgsp/contracts';
import { OutboxWriter } from '@lgsp/messaging';
import { createHash, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Birth } from './birth.entity';
import type { BirthRegistrationResult, RegisterBirthDto } from './register-birth.dto';

/** The same child of the same parents, however spaced or cased: one registration. */
export function birthNaturalKey(dto: RegisterBirthDto): string {
  const name = dto.child.fullName
    .normalize('NFC')
    .trim()
    .replace(/\s+/g, ' ')
    .toLocaleLowerCase('vi');
  const parts = [
    name,
    dto.child.sex,
    dto.child.dateOfBirth,
    dto.mother?.personalId ?? '',
    dto.father?.personalId ?? '',
  ];
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

@Injectable()
export class RegisterBirthUseCase {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(OutboxWriter) private readonly outbox: OutboxWriter,
  ) {}

  /**
   * Stores the birth and its `birth-registered` event in one database transaction. The
   * same birth submitted again returns the first registration (`created: false`).
   */
  async execute(
    dto: RegisterBirthDto,
    correlationId: string,
    provinceCode: string,
  ): Promise<BirthRegistrationResult & { created: boolean }> {
    const naturalKey = birthNaturalKey(dto);
    const existing = await this.dataSource.getRepository(Birth).findOneBy({ naturalKey });
    if (existing) return { ...resultOf(existing), created: false };
    const event: BirthRegisteredV1 = {
      registrationId: randomUUID(),
      registeredOn: today(),
      registrationProvinceCode: provinceCode,
      child: dto.child,
      mother: dto.mother,
      father: dto.father,
    };
    try {
      return await this.dataSource.transaction(async (tx) => {
        const envelope = await this.outbox.publish(tx, {
          type: 'civil-status.birth-registered.v1',
          data: event,
          correlationId,
        });
        const birth: Birth = tx.create(Birth, {
          id: event.registrationId,
          registeredOn: event.registeredOn,
          registrationProvinceCode: provinceCode,
          childFullName: dto.child.fullName,
          childSex: dto.child.sex,
          childDateOfBirth: dto.child.dateOfBirth,
          placeOfBirth: dto.child.placeOfBirth ?? null,
          motherPersonalId: dto.mother?.personalId ?? null,
          motherFullName: dto.mother?.fullName ?? null,
          fatherPersonalId: dto.father?.personalId ?? null,
          fatherFullName: dto.father?.fullName ?? null,
          childPersonalId: null,
          naturalKey,
          correlationId,
          eventId: envelope.id,
        });
        await tx.insert(Birth, birth);
        return { ...resultOf(birth), created: true };
      });
    } catch (e) {
      // The same birth, submitted twice at once: the other request won.
      const winner = await this.dataSource.getRepository(Birth).findOneBy({ naturalKey });
      if (winner) return { ...resultOf(winner), created: false };
      throw e;
    }
  }
}

function resultOf(b: Birth): BirthRegistrationResult {
  return {
    registrationId: b.id,
    eventId: b.eventId,
    correlationId: b.correlationId,
    childPersonalId: b.childPersonalId,
  };
}
