import { Body, Controller, HttpCode, HttpStatus, Inject, Param, Post, Req } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiSecurity } from '@nestjs/swagger';
import { apiKeyOf } from '@lgsp/platform';
import { Authenticator, type RequestWithPrincipal } from '../access/access.guard';
import {
  PUBLISHED_BATCH_RESPONSE,
  PublishBatchDto,
  type PublishedBatch,
} from './publish-batch.dto';
import type { Caller } from './publish-door';
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
    return this.publishEvent.execute({
      ...(await this.caller(type, req)),
      body,
      correlationId: req.correlationId,
    });
  }

  @Post(':type/batch')
  @HttpCode(HttpStatus.OK)
  @ApiSecurity('api-key')
  @ApiOperation({
    summary: 'Publish up to 1000 events of one type at once',
    description:
      'Authorised once, as POST /events/{type}. Each payload is checked against its contract ' +
      'on its own and answered in the order given: ACCEPTED, or REFUSED with ' +
      'CONTRACT.INVALID_PAYLOAD and its field errors (and logged as a REJECTED transaction). ' +
      'An item without a correlationId opens a case of its own. More than 1000 items, or a ' +
      'malformed item wrapper: 400 REQUEST.VALIDATION_FAILED for the whole batch, checked ' +
      'after the caller and logged as one REJECTED transaction.',
  })
  @ApiOkResponse({ description: 'One result per item.', schema: PUBLISHED_BATCH_RESPONSE })
  // Checked by the use case once the caller is known, not by the validation pipe before it.
  @ApiBody({ type: PublishBatchDto })
  async publishBatch(
    @Param('type') type: string,
    @Body() body: unknown,
    @Req() req: RequestWithPrincipal,
  ): Promise<PublishedBatch> {
    return this.publishEvent.executeBatch({
      ...(await this.caller(type, req)),
      body,
      correlationId: req.correlationId,
    });
  }

  private async caller(type: string, req: RequestWithPrincipal): Promise<Caller> {
    const key = apiKeyOf(req);
    if (!key) return { type, keyGiven: false, principal: undefined };
    const result = await this.authenticator.authenticate(key, req.ip);
    return 'refusal' in result
      ? { type, keyGiven: true, principal: undefined, refusal: result.refusal }
      : { type, keyGiven: true, principal: result.principal };
  }
}
