import 'reflect-metadata';
import { runMain } from '@lgsp/platform';
import { insuranceService } from './insurance.definition';

runMain(insuranceService);
