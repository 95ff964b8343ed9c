import { Module } from '@nestjs/common';
import { RegisterNewbornConsumer } from './register-newborn.consumer';

@Module({ controllers: [RegisterNewbornConsumer] })
export class CitizensModule {}
