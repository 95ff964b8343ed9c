import 'reflect-metadata';
import { runMain } from '@lgsp/platform';
import { populationService } from './population.definition';

runMain(populationService);
