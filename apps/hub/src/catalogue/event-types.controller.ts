import { Controller, Get, HttpStatus, Param } from '@nestjs/common';
import {
  ceTypeOf,
  EVENT_TYPES,
  eventTypeKey,
  eventTypeSchema,
  findEventType,
  topicOf,
} from '@lgsp/contracts';
import { ApiError } from '@lgsp/platform';
import { VALID_EXAMPLES } from '@lgsp/contracts';

/** The contracts, for sectoral systems in any language: every type, its topic and its JSON Schema. */
@Controller('catalogue/event-types')
export class EventTypesController {
  @Get()
  list() {
    return EVENT_TYPES.map((def) => ({
      type: eventTypeKey(def),
      ceType: ceTypeOf(def),
      topic: topicOf(def),
      provider: def.provider,
      schema: `/catalogue/event-types/${eventTypeKey(def)}/schema`,
    }));
  }

  @Get(':type/schema')
  schema(@Param('type') type: string) {
    const def = findEventType(type);
    if (!def) {
      throw new ApiError(
        HttpStatus.NOT_FOUND,
        'CONTRACT.UNKNOWN_EVENT_TYPE',
        `No event type ${type}; see /catalogue/event-types.`,
      );
    }
    return { ...eventTypeSchema(def), examples: [VALID_EXAMPLES[type]] };
  }
}
