import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import type { BirthRegisteredV1, CitizenRegisteredV1 } from '@lgsp/contracts';
import { type EventContext, OnEvent } from '@lgsp/messaging';
import { In } from 'typeorm';
import { Citizen } from './citizen.entity';
import { allocatePersonalId } from './personal-id.allocator';

/** Birth chain, step 2: the newborn gets a personal ID and permanent residence with a parent. */
@Controller()
export class RegisterNewbornConsumer {
  @OnEvent('civil-status.birth-registered.v1')
  async register(@Payload() birth: BirthRegisteredV1, @Ctx() ctx: EventContext): Promise<void> {
    const parentIds = [birth.mother?.personalId, birth.father?.personalId].filter(
      (x): x is string => !!x,
    );
    const parents = await ctx.manager.find(Citizen, { where: { personalId: In(parentIds) } });
    const address = parents.find((p) => p.permanentAddress)?.permanentAddress ?? null;
    const personalId = await allocatePersonalId(
      ctx.manager,
      birth.registrationProvinceCode,
      birth.child.sex,
      birth.child.dateOfBirth,
    );
    await ctx.manager.insert(Citizen, {
      personalId,
      fullName: birth.child.fullName,
      sex: birth.child.sex,
      dateOfBirth: birth.child.dateOfBirth,
      permanentAddress: address,
      status: 'ALIVE',
      birthRegistrationId: birth.registrationId,
    });
    const registered: CitizenRegisteredV1 = {
      personalId,
      birthRegistrationId: birth.registrationId,
      fullName: birth.child.fullName,
      sex: birth.child.sex,
      dateOfBirth: birth.child.dateOfBirth,
      ...(address ? { permanentAddress: address } : {}),
    };
    await ctx.publish('population.citizen-registered.v1', registered);
  }
}
