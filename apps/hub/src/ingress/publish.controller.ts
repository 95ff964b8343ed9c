import { Body, Controller, HttpCode, HttpStatus, Inject, Param, Post, Req } from '@nestjs/common';
import { apiKeyOf, Authenticator, type RequestWithPrincipal } from '../access/access.guard';
import { type Published, PublishEventUseCase } from './publish-event.use-case';

@Controller('events')
export class PublishController {
  constructor(
    @Inject(PublishEventUseCase) private readonly publishEvent: PublishEventUseCase,
    @Inject(Authenticator) private readonly authenticator: Authenticator,
  ) {}

  /** Publish one event of `type` (e.g. `land.ownership-registered.v1`); the body is its payload. */
  @Post(':type')
  @HttpCode(HttpStatus.ACCEPTED)
  async publish(
    @Param('type') type: string,
    @Body() body: unknown,
    @Req() req: RequestWithPrincipal,
  ): Promise<Published> {
    const key = apiKeyOf(req);
    return this.publishEvent.execute({
      type,
      body,
      correlationId: req.correlationId,
      keyGiven: key !== undefined,
      principal: key ? await this.authenticator.principal(key) : undefined,
    });
  }
}
