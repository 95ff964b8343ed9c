import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import type { BirthRegisteredV1, CitizenRefV1, CitizenRegisteredV1 } from '@lgsp/contracts';
import { type EventContext, OnEvent, PermanentError } from '@lgsp/messaging';
import type { EntityManager } from 'typeorm';
import { Citizen } from './citizen.entity';
import { allocatePersonalId } from './personal-id.allocator';

/** A named parent must be in the register and alive. */
async function parent(
  m: EntityManager,
  ref: CitizenRefV1 | undefined,
): Promise<Citizen | undefined> {
  if (!ref) return undefined;
  const found = await m.findOneBy(Citizen, { personalId: ref.personalId });
  if (!found)
    throw new PermanentError(
      'POPULATION.PARENT_NOT_FOUND',
      'a parent named in the birth is not in the population register',
    );
  if (found.status === 'DECEASED') {
    throw new PermanentError(
      'POPULATION.PARENT_DECEASED',
      'a parent named in the birth is recorded as deceased',
    );
  }
  return found;
}

/** Birth chain, step 2: the newborn gets a personal ID and permanent residence with a parent. */
@Controller()
export class RegisterNewbornConsumer {
  @OnEvent('civil-status.birth-registered.v1')
  async register(@Payload() birth: BirthRegisteredV1, @Ctx() ctx: EventContext): Promise<void> {
    const m = ctx.manager;
    const parents = [await parent(m, birth.mother), await parent(m, birth.father)];
    const address = parents.find((p) => p?.permanentAddress)?.permanentAddress ?? null;
    const personalId = await allocatePersonalId(
      m,
      birth.registrationProvinceCode,
      birth.child.sex,
      birth.child.dateOfBirth,
    );
    await m.insert(Citizen, {
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
