import 'reflect-metadata';
import { runMain } from '@lgsp/platform';
import { landService } from './land.definition';

runMain(landService);
