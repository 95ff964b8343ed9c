import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiSecurity, ApiServiceUnavailableResponse } from '@nestjs/swagger';
import { Roles } from '../access/access.guard';
import { ConsumerLagAnswer } from './consumer-lag.dto';
import { CONSUMER_LAG_CACHE_MS, ConsumerLag } from './consumer-lag';

@Controller()
@Roles('OPERATOR', 'ADMIN')
export class ConsumerLagController {
  constructor(@Inject(ConsumerLag) private readonly lag: ConsumerLag) {}

  /** How far behind each consumer group is on its topics, as the broker reports it. */
  @Get('consumer-lag')
  @ApiSecurity('api-key')
  @ApiOkResponse({
    description: `Per consumer group: records not yet committed, by topic (reused for ${CONSUMER_LAG_CACHE_MS / 1000} s).`,
    type: ConsumerLagAnswer,
  })
  @ApiServiceUnavailableResponse({
    description: 'HUB.CONSUMER_LAG_UNAVAILABLE: the broker could not be asked.',
  })
  read(): Promise<ConsumerLagAnswer> {
    return this.lag.read();
  }
}
