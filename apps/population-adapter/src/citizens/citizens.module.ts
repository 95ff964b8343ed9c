import { Module } from '@nestjs/common';
import { CitizensController } from './citizens.controller';
import { RecordDeathConsumer } from './record-death.consumer';
import { RegisterNewbornConsumer } from './register-newborn.consumer';
import { VerifyIdentityConsumer } from './verify-identity.consumer';

@Module({
  controllers: [
    CitizensController,
    RegisterNewbornConsumer,
    RecordDeathConsumer,
    VerifyIdentityConsumer,
  ],
})
export class CitizensModule {}
