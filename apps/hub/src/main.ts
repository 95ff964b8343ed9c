import 'reflect-metadata';
import { runMain } from '@lgsp/platform';
import { hubService } from './hub.definition';

runMain(hubService);
