import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import type { BirthRegisteredV1, CitizenRegisteredV1 } from '@lgsp/contracts';
import { type BatchItem, OnEvent, PermanentError, type SetContext } from '@lgsp/messaging';
import { In } from 'typeorm';
import { Citizen } from './citizen.entity';
import { reservePersonalIds } from './personal-id.allocator';

type Birth = BatchItem<BirthRegisteredV1>;

/** A named parent must be in the register and alive; the refusal when not. */
function parentProblem(
  known: Map<string, Citizen>,
  personalId: string | undefined,
): PermanentError | undefined {
  if (!personalId) return undefined;
  const found = known.get(personalId);
  if (!found)
    return new PermanentError(
      'POPULATION.PARENT_NOT_FOUND',
      'a parent named in the birth is not in the population register',
    );
  if (found.status === 'DECEASED')
    return new PermanentError(
      'POPULATION.PARENT_DECEASED',
      'a parent named in the birth is recorded as deceased',
    );
  return undefined;
}

/**
 * Birth chain, step 2: each newborn gets a personal ID and permanent residence with a
 * parent. A batch reads all named parents in one query, reserves the IDs in blocks, and
 * inserts the citizens in one statement.
 */
@Controller()
export class RegisterNewbornConsumer {
  @OnEvent('civil-status.birth-registered.v1', { batch: true })
  async register(@Payload() births: Birth[], @Ctx() ctx: SetContext): Promise<void> {
    const m = ctx.manager;
    const parentIds = births.flatMap((b) =>
      [b.payload.mother?.personalId, b.payload.father?.personalId].filter((id) => id !== undefined),
    );
    const known = new Map(
      (parentIds.length ? await m.findBy(Citizen, { personalId: In(parentIds) }) : []).map((c) => [
        c.personalId,
        c,
      ]),
    );
    const accepted = births.filter((b) => {
      const problem =
        parentProblem(known, b.payload.mother?.personalId) ??
        parentProblem(known, b.payload.father?.personalId);
      if (problem) ctx.refuse(b, problem);
      return !problem;
    });
    const ids = await reservePersonalIds(
      m.connection,
      accepted.map(({ payload: p }) => ({
        provinceCode: p.registrationProvinceCode,
        sex: p.child.sex,
        dateOfBirth: p.child.dateOfBirth,
      })),
    );
    const rows: Partial<Citizen>[] = [];
    accepted.forEach((b, i) => {
      const personalId = ids[i];
      if (!personalId) {
        ctx.refuse(
          b,
          new PermanentError(
            'POPULATION.ID_RANGE_EXHAUSTED',
            'no personal IDs left for this prefix',
          ),
        );
        return;
      }
      const birth = b.payload;
      const address =
        [birth.mother, birth.father]
          .map((p) => (p ? known.get(p.personalId)?.permanentAddress : undefined))
          .find((a) => a) ?? null;
      rows.push({
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
      ctx.publish(b, 'population.citizen-registered.v1', registered);
    });
    if (rows.length) await m.insert(Citizen, rows);
  }
}
