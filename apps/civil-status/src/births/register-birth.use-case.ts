import { Inject, Injectable } from '@nestjs/common';
import type { BirthRegisteredV1 } from '@lgsp/contracts';
import { OutboxWriter } from '@lgsp/messaging';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Birth } from './birth.entity';
import type { BirthRegistrationResult, RegisterBirthDto } from './register-birth.dto';

@Injectable()
export class RegisterBirthUseCase {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(OutboxWriter) private readonly outbox: OutboxWriter,
  ) {}

  /** Stores the birth and its `birth-registered` event in one database transaction. */
  async execute(
    dto: RegisterBirthDto,
    correlationId: string,
    provinceCode: string,
  ): Promise<BirthRegistrationResult> {
    const event: BirthRegisteredV1 = {
      registrationId: randomUUID(),
      registeredOn: new Date().toISOString().slice(0, 10),
      registrationProvinceCode: provinceCode,
      child: dto.child,
      mother: dto.mother,
      father: dto.father,
    };
    return this.dataSource.transaction(async (tx) => {
      const envelope = await this.outbox.publish(tx, {
        type: 'civil-status.birth-registered.v1',
        data: event,
        correlationId,
      });
      await tx.insert(Birth, {
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
        correlationId,
        eventId: envelope.id,
      });
      return {
        registrationId: event.registrationId,
        eventId: envelope.id,
        correlationId,
        childPersonalId: null,
      };
    });
  }
}
