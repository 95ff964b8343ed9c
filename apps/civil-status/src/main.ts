import 'reflect-metadata';
import { runMain } from '@lgsp/platform';
import { civilStatusService } from './civil-status.definition';

runMain(civilStatusService);
