import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class TopicLag {
  @ApiProperty() topic: string;

  @ApiProperty({ description: 'Records not yet committed by the group, over all partitions.' })
  lag: number;

  @ApiProperty({ description: 'Partitions with at least one record not committed.' })
  partitionsBehind: number;
}

/** One consumer group: a member system's (or the hub's) services reading their topics. */
export class GroupLag {
  @ApiProperty() system: string;

  @ApiProperty() groupId: string;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'End offsets minus committed offsets, summed; null when they could not be read.',
  })
  lag: number | null;

  @ApiProperty({
    description:
      'As the broker reports it: Stable, Empty (no consumer running), PreparingRebalance, CompletingRebalance, Dead (no such group), or Unknown.',
  })
  state: string;

  @ApiProperty({ type: Number, nullable: true, description: 'Consumers in the group.' })
  members: number | null;

  @ApiProperty({ type: () => [TopicLag], description: 'Topics the group is behind on.' })
  topics: TopicLag[];

  @ApiPropertyOptional({ description: 'Why this group’s offsets could not be read.' })
  error?: string;
}

export class ConsumerLagAnswer {
  @ApiProperty({ format: 'date-time', description: 'When the broker was asked.' })
  at: string;

  @ApiProperty({ type: () => [GroupLag] }) groups: GroupLag[];
}
