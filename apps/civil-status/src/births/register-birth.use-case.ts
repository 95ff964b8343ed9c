import { Inject, Injectable } from '@nestjs/common';
import { type BirthRegisteredV1, today } from '@lgsp/contracts';
import { OutboxWriter } from '@lgsp/messaging';
import { createHash, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Birth } from './birth.entity';
import type { BirthRegistrationResult, RegisterBirthDto } from './register-birth.dto';

export const BIRTH_REGISTERED = 'civil-status.birth-registered.v1';

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

/** The `birth-registered` payload of a new registration: its id, date and province are ours. */
export function newRegistration(dto: RegisterBirthDto, provinceCode: string): BirthRegisteredV1 {
  return {
    registrationId: randomUUID(),
    registeredOn: today(),
    registrationProvinceCode: provinceCode,
    child: dto.child,
    mother: dto.mother,
    father: dto.father,
  };
}

/** The births row that records a registration and the event that announced it. */
export function birthRow(
  event: BirthRegisteredV1,
  refs: { naturalKey: string; correlationId: string; eventId: string },
): Omit<Birth, 'createdAt'> {
  return {
    id: event.registrationId,
    registeredOn: event.registeredOn,
    registrationProvinceCode: event.registrationProvinceCode,
    childFullName: event.child.fullName,
    childSex: event.child.sex,
    childDateOfBirth: event.child.dateOfBirth,
    placeOfBirth: event.child.placeOfBirth ?? null,
    motherPersonalId: event.mother?.personalId ?? null,
    motherFullName: event.mother?.fullName ?? null,
    fatherPersonalId: event.father?.personalId ?? null,
    fatherFullName: event.father?.fullName ?? null,
    childPersonalId: null,
    ...refs,
  };
}

export function resultOf(b: Omit<Birth, 'createdAt'>): BirthRegistrationResult {
  return {
    registrationId: b.id,
    eventId: b.eventId,
    correlationId: b.correlationId,
    childPersonalId: b.childPersonalId,
  };
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
    const event = newRegistration(dto, provinceCode);
    try {
      return await this.dataSource.transaction(async (tx) => {
        const envelope = await this.outbox.publish(tx, {
          type: BIRTH_REGISTERED,
          data: event,
          correlationId,
        });
        const birth = tx.create(
          Birth,
          birthRow(event, { naturalKey, correlationId, eventId: envelope.id }),
        );
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
