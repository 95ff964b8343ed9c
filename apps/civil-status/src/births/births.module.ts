import { Module } from '@nestjs/common';
import { AttachPersonalIdConsumer } from './attach-personal-id.consumer';
import { BirthsController } from './births.controller';
import { RegisterBirthUseCase } from './register-birth.use-case';
import { RegisterBirthsBatchUseCase } from './register-births-batch.use-case';

@Module({
  controllers: [BirthsController, AttachPersonalIdConsumer],
  providers: [RegisterBirthUseCase, RegisterBirthsBatchUseCase],
})
export class BirthsModule {}
