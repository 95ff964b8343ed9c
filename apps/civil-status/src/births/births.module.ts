import { Module } from '@nestjs/common';
import { AttachPersonalIdConsumer } from './attach-personal-id.consumer';
import { BirthsController } from './births.controller';
import { RegisterBirthUseCase } from './register-birth.use-case';

@Module({
  controllers: [BirthsController, AttachPersonalIdConsumer],
  providers: [RegisterBirthUseCase],
})
export class BirthsModule {}
