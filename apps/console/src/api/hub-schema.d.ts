// Generated from the hub's OpenAPI document by scripts/generate-api.mjs; do not edit.
export interface paths {
  '/access/me': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['MeController_me'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/audit/admin-actions': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['AdminActionsController_list'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/audit/export': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['AuditController_export'];
    put?: never;
    post: operations['AuditController_exportByBody'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/audit/log': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['AuditController_log'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/audit/public-key': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['SealKeysController_publicKey'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/audit/queries': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['AuditController_queries'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/audit/search': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations['AuditController_search'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/audit/subject-report': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['SubjectReportController_byQuery'];
    put?: never;
    post: operations['SubjectReportController_byBody'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/audit/verify': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations['AuditController_verify'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/cases': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['CasesController_stuck'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/cases/{correlationId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['CasesController_case'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/catalogue/event-types': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['EventTypesController_list'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/catalogue/event-types/{type}/schema': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['EventTypesController_schema'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/catalogue/services': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['CatalogueController_services'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/catalogue/services/{code}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put: operations['CatalogueAdminController_putService'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/catalogue/subscriptions': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['CatalogueController_subscriptions'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/catalogue/subscriptions/{consumer}/{service}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put: operations['CatalogueAdminController_putSubscription'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch: operations['CatalogueAdminController_updateSubscription'];
    trace?: never;
  };
  '/catalogue/systems': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['CatalogueController_systems'];
    put?: never;
    post: operations['CatalogueAdminController_createSystem'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/catalogue/systems/{code}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch: operations['CatalogueAdminController_updateSystem'];
    trace?: never;
  };
  '/consumer-lag': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['ConsumerLagController_read'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/credentials': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['CredentialsController_list'];
    put?: never;
    post: operations['CredentialsController_issue'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/credentials/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    delete: operations['CredentialsController_revoke'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/credentials/{id}/rotate': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations['CredentialsController_rotate'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/dead-letters': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['DeadLettersController_list'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/dead-letters/replay': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations['DeadLettersController_replay'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/dead-letters/summary': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['DeadLettersController_summary'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/events/{type}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations['PublishController_publish'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/events/{type}/batch': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Publish up to 1000 events of one type at once
     * @description Authorised once, as POST /events/{type}. Each payload is checked against its contract on its own and answered in the order given: ACCEPTED, or REFUSED with CONTRACT.INVALID_PAYLOAD and its field errors (and logged as a REJECTED transaction). An item without a correlationId opens a case of its own. More than 1000 items, or a malformed item wrapper: 400 REQUEST.VALIDATION_FAILED for the whole batch, checked after the caller and logged as one REJECTED transaction.
     */
    post: operations['PublishController_publishBatch'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/health': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['HealthController_check'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/health/live': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['HealthController_live'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/health/ready': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['HealthController_ready'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/log': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['LogController_entries'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/metrics': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['MetricsController_scrape'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/reports/card-links': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['ReportsController_cardLinks'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/services/{code}/success-rate': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['StatsController_service'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/stats': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['StatsController_query'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/success-rate': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['StatsController_hub'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/transactions': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['TransactionsController_list'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/transactions/{eventId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['TransactionsController_byEvent'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: {
    AuditEntry: {
      consumer: string | null;
      correlation_id: string | null;
      error_code: string | null;
      event_id: string;
      event_type: string | null;
      /** @description Position in the log (a bigint, as a string). */
      id: string;
      /** @description A bigint, as a string. */
      kafka_offset: string;
      kafka_partition: number;
      /** @enum {string} */
      kind: 'PUBLISHED' | 'RECEIPT' | 'REJECTED';
      /** Format: date-time */
      occurred_at: string;
      /** @description For identity checks: MATCH, MISMATCH or NOT_FOUND. */
      outcome: string | null;
      payload_sha256: string | null;
      provider: string | null;
      reason: string | null;
      /** Format: date-time */
      recorded_at: string;
      service_code: string | null;
      status: string | null;
      subject_hash: string | null;
      topic: string;
    };
    AuditLogPage: {
      items: components['schemas']['AuditEntry'][];
      /** @description The `after` of the next page; null on the last one. */
      next: string | null;
    };
    AuditQueryDto: {
      after?: string;
      citizenId?: string;
      consumer?: string;
      correlationId?: string;
      eventId?: string;
      from?: string;
      limit?: number;
      provider?: string;
      service?: string;
      /** @enum {string} */
      status?: 'PUBLISHED' | 'SUCCESS' | 'FAILED' | 'REJECTED';
      to?: string;
    };
    AuditQueryRecord: {
      /**
       * @description admin-actions: a read of `GET /admin-actions`.
       * @enum {string}
       */
      action: 'query' | 'export' | 'verify' | 'admin-actions';
      /** Format: date-time */
      at: string;
      credentialId: string;
      /** @description The filter as given, a citizen ID only as its hash. */
      filter: {
        [key: string]: unknown;
      };
      /** Format: uuid */
      id: string;
      role: string;
      rowCount: number | null;
    };
    BatchEventDto: {
      correlationId?: string;
      /** @description The event's payload; see GET /catalogue/event-types/{type}/schema. */
      data: Record<string, never>;
    };
    Case: {
      /** @description As asked. */
      correlationId: string;
      durationMs: number;
      /** Format: date-time */
      lastActivityAt: string;
      /** Format: date-time */
      startedAt: string;
      /** @enum {string} */
      status: 'COMPLETE' | 'IN_PROGRESS' | 'STUCK' | 'FAILED';
      steps: components['schemas']['CaseStep'][];
      /** @description Only when the case is FAILED or STUCK. */
      stoppedAt?: components['schemas']['CaseStop'];
    };
    CaseDelivery: {
      /** Format: date-time */
      completedAt: string | null;
      consumer: string;
      errorCode: string | null;
      /** @description The receipt came after the delivery deadline. */
      late: boolean;
      latencyMs: number | null;
      reason: string | null;
      /** @enum {string} */
      status: 'PENDING' | 'SUCCESS' | 'FAILED' | 'REJECTED' | 'TIMED_OUT';
    };
    CaseRejection: {
      errorCode: string | null;
      reason: string | null;
    };
    CaseStep: {
      /** Format: date-time */
      at: string;
      deliveries: components['schemas']['CaseDelivery'][];
      eventId: string;
      eventType: string | null;
      provider: string | null;
      /** @description Only when the hub refused the event. */
      rejected?: components['schemas']['CaseRejection'];
      /** @description The service code. */
      service: string | null;
    };
    CaseStop: {
      consumer: string;
      errorCode: string | null;
      eventId: string;
      reason: string | null;
      /** @enum {string} */
      status: 'PENDING' | 'SUCCESS' | 'FAILED' | 'REJECTED' | 'TIMED_OUT';
    };
    CatalogueService: {
      code: string;
      eventType: string;
      nameEn: string;
      nameVi: string;
      provider: string;
    };
    ConsumerLagAnswer: {
      /**
       * Format: date-time
       * @description When the broker was asked.
       */
      at: string;
      groups: components['schemas']['GroupLag'][];
    };
    /** @description Also checked by the hub and every consumer: name is in Unicode NFC. */
    CreateSystemDto: {
      code: string;
      name: string;
      /** @enum {string} */
      province:
        | '01'
        | '02'
        | '04'
        | '06'
        | '08'
        | '10'
        | '11'
        | '12'
        | '14'
        | '15'
        | '17'
        | '19'
        | '20'
        | '22'
        | '24'
        | '25'
        | '26'
        | '27'
        | '30'
        | '31'
        | '33'
        | '34'
        | '35'
        | '36'
        | '37'
        | '38'
        | '40'
        | '42'
        | '44'
        | '45'
        | '46'
        | '48'
        | '49'
        | '51'
        | '52'
        | '54'
        | '56'
        | '58'
        | '60'
        | '62'
        | '64'
        | '66'
        | '67'
        | '68'
        | '70'
        | '72'
        | '74'
        | '75'
        | '77'
        | '79'
        | '80'
        | '82'
        | '83'
        | '84'
        | '86'
        | '87'
        | '89'
        | '91'
        | '92'
        | '93'
        | '94'
        | '95'
        | '96';
      sector: string;
      /** @enum {string} */
      status: 'ACTIVE' | 'DISABLED';
    };
    CredentialRecord: {
      /** Format: date-time */
      createdAt: string;
      /**
       * Format: date-time
       * @description Refused from this time on; null: until revoked.
       */
      expiresAt: string | null;
      /** Format: uuid */
      id: string;
      label: string;
      /**
       * Format: uuid
       * @description The credential this one was issued to replace (rotation).
       */
      replacesId: string | null;
      /** Format: date-time */
      revokedAt: string | null;
      /** @enum {string} */
      role: 'SYSTEM' | 'OPERATOR' | 'AUDITOR' | 'ADMIN';
      /** @description The member system a SYSTEM key belongs to. */
      systemCode: string | null;
    };
    DeadLetterGroup: {
      consumer: string;
      count: number;
      errorCode: string | null;
      /** @description The service code. */
      service: string | null;
      /** @enum {string} */
      status: 'FAILED' | 'REJECTED';
    };
    ExportDto: {
      citizenId?: string;
      consumer?: string;
      correlationId?: string;
      eventId?: string;
      /** @enum {string} */
      format: 'csv' | 'ndjson' | 'sealed';
      from?: string;
      provider?: string;
      service?: string;
      /** @enum {string} */
      status?: 'PUBLISHED' | 'SUCCESS' | 'FAILED' | 'REJECTED';
      to?: string;
    };
    GroupLag: {
      /** @description Why this group’s offsets could not be read. */
      error?: string;
      groupId: string;
      /** @description End offsets minus committed offsets, summed; null when they could not be read. */
      lag: number | null;
      /** @description Consumers in the group. */
      members: number | null;
      /** @description As the broker reports it: Stable, Empty (no consumer running), PreparingRebalance, CompletingRebalance, Dead (no such group), or Unknown. */
      state: string;
      system: string;
      /** @description Topics the group is behind on. */
      topics: components['schemas']['TopicLag'][];
    };
    IssueCredentialDto: {
      expiresAt?: string;
      label?: string;
      /** @enum {string} */
      role: 'SYSTEM' | 'OPERATOR' | 'AUDITOR' | 'ADMIN';
      system?: string;
    };
    IssuedCredential: {
      /** @description The key itself, shown this once. */
      apiKey: string;
      /** Format: date-time */
      expiresAt: string | null;
      /** Format: uuid */
      id: string;
      label: string;
      /** @enum {string} */
      role: 'SYSTEM' | 'OPERATOR' | 'AUDITOR' | 'ADMIN';
      /** @description For SYSTEM keys: the member system. */
      system?: string;
    };
    LatencySummary: {
      avg: number | null;
      max: number | null;
      p50: number | null;
      p95: number | null;
      p99: number | null;
    };
    LogVerificationAnswer: {
      /** @description Sealed entries of those seals archived to files (checked offline in them). */
      archivedEntries: number;
      /** @description Entries found intact in those seals. */
      checkedEntries: number;
      /** @description Seals found sound, up to the first problem. */
      checkedSeals: number;
      /** @description Only when `ok` is false. */
      firstProblem?: components['schemas']['VerifyProblem'];
      /** Format: date-time */
      from?: string;
      /** @description The newest seal’s hash: keep a copy elsewhere, whoever can rewrite the tables can rebuild the newest seals. */
      headSealHash: string;
      ok: boolean;
      /** @description From this seal on every seal must be signed. */
      signedFrom: number | null;
      signedSeals: number;
      /** Format: date-time */
      to?: string;
      tookMs: number;
      /** @description Entries written after the last seal: not sealed yet, so not checked. */
      unsealedEntries: number;
      /** @description Sound seals made before signing existed. */
      unsignedSeals: number;
    };
    MemberSystem: {
      code: string;
      name: string;
      /** @description The 2-digit province code. */
      province: string;
      sector: string;
      /** @enum {string} */
      status: 'ACTIVE' | 'DISABLED';
    };
    PublishBatchDto: {
      items: components['schemas']['BatchEventDto'][];
    };
    /** @description Also checked by the hub and every consumer: nameVi is in Unicode NFC; nameEn is in Unicode NFC. */
    PutServiceDto: {
      eventType: string;
      nameEn: string;
      nameVi: string;
      provider: string;
    };
    /** @description Also checked by the hub and every consumer: purpose is in Unicode NFC; legalBasis is in Unicode NFC. */
    PutSubscriptionDto: {
      legalBasis?: string;
      purpose: string;
      /** @enum {string} */
      status: 'ACTIVE' | 'DISABLED';
    };
    ReplayAnswer: {
      /** @description Only for a dry run: the count per consumer. */
      consumers?: components['schemas']['ReplayPreviewConsumer'][];
      /** @description Only for a dry run (always true): nothing replayed. */
      dryRun?: boolean;
      /** @description Dead letters matched by the filter. */
      requested: number;
      /** @description Only when replayed: the requests sent. */
      requests?: components['schemas']['ReplayRequestSent'][];
    };
    ReplayDto: {
      all?: boolean;
      consumer?: string;
      dryRun?: boolean;
      errorCode?: string;
      eventIds?: string[];
      service?: string;
    };
    ReplayPreviewConsumer: {
      consumer: string;
      events: number;
    };
    ReplayRequestSent: {
      consumer: string;
      events: number;
      /** Format: uuid */
      requestId: string;
    };
    RotateCredentialDto: {
      expiresAt?: string;
      retireOldAfterSeconds?: number;
    };
    RotatedCredential: {
      /** @description The key itself, shown this once. */
      apiKey: string;
      /** Format: date-time */
      expiresAt: string | null;
      /** Format: uuid */
      id: string;
      label: string;
      /**
       * Format: date-time
       * @description When the old key stops working; null: when it is revoked.
       */
      oldExpiresAt: string | null;
      /**
       * Format: uuid
       * @description The credential replaced.
       */
      replaces: string;
      /** @enum {string} */
      role: 'SYSTEM' | 'OPERATOR' | 'AUDITOR' | 'ADMIN';
      /** @description For SYSTEM keys: the member system. */
      system?: string;
    };
    Stat: {
      counts: components['schemas']['StatCounts'];
      /** @description The group’s value: a service, system or sector code, or `hub`. */
      group: string;
      latencyMs: components['schemas']['LatencySummary'];
      /** @description Rejections counted too: SUCCESS / (SUCCESS + FAILED + TIMED_OUT + REJECTED). */
      overallRate: number | null;
      /** @description Only when `step` is given. */
      series?: components['schemas']['StatPoint'][];
      /** @description SUCCESS / (SUCCESS + FAILED + TIMED_OUT); null when nothing has completed. */
      successRate: number | null;
    };
    StatCounts: {
      FAILED: number;
      PENDING: number;
      REJECTED: number;
      SUCCESS: number;
      TIMED_OUT: number;
    };
    StatPoint: {
      /** Format: date-time */
      at: string;
      counts: components['schemas']['StatCounts'];
      latencyMs: components['schemas']['LatencySummary'];
      successRate: number | null;
    };
    StatsAnswer: {
      /** Format: date-time */
      from: string;
      /** @enum {string} */
      groupBy: 'hub' | 'service' | 'provider' | 'consumer' | 'sector';
      groups: components['schemas']['Stat'][];
      /**
       * @description The roll-up table read.
       * @enum {string}
       */
      resolution: 'minute' | 'hour' | 'day';
      /** Format: date-time */
      to: string;
    };
    StuckCase: {
      correlationId: string;
      /** Format: date-time */
      lastActivityAt: string;
      /** @description Deliveries PENDING or TIMED_OUT. */
      waitingDeliveries: number;
    };
    SubjectReport: {
      exchanges: components['schemas']['SubjectReportExchange'][];
      /** Format: date-time */
      generatedAt: string;
      /** @description The citizen’s pseudonymous subject key (never the ID number). */
      subjectHash: string;
      /** @description More than 10,000 exchanges: only the oldest 10,000 are listed. */
      truncated: boolean;
    };
    SubjectReportExchange: {
      /** Format: date-time */
      completedAt: string | null;
      consumer: string;
      consumerName: string | null;
      errorCode: string | null;
      eventId: string;
      eventType: string | null;
      /** @description The receipt came after the delivery deadline. */
      late: boolean;
      legalBasis: string | null;
      provider: string | null;
      providerName: string | null;
      /** Format: date-time */
      publishedAt: string | null;
      /** @description As the subscription stated it when the transaction opened; null before that was kept. */
      purpose: string | null;
      service: string | null;
      /** @description The service’s Vietnamese name. */
      serviceName: string | null;
      /** @enum {string} */
      status: 'PENDING' | 'SUCCESS' | 'FAILED' | 'REJECTED' | 'TIMED_OUT';
    };
    SubjectReportRequest: {
      citizenId: string;
      /** @enum {string} */
      format?: 'json' | 'csv' | 'html';
    };
    Subscription: {
      consumer: string;
      /** @description The law, decree or decision that entitles the consumer; null when not stated. */
      legalBasis: string | null;
      purpose: string;
      service: string;
      /** @enum {string} */
      status: 'ACTIVE' | 'DISABLED';
    };
    SuccessRateAnswer: {
      counts: components['schemas']['StatCounts'];
      /** Format: date-time */
      from: string;
      /** @description The group’s value: a service, system or sector code, or `hub`. */
      group: string;
      latencyMs: components['schemas']['LatencySummary'];
      /** @description Rejections counted too: SUCCESS / (SUCCESS + FAILED + TIMED_OUT + REJECTED). */
      overallRate: number | null;
      /** @description Only when `step` is given. */
      series?: components['schemas']['StatPoint'][];
      service?: string;
      /** @description SUCCESS / (SUCCESS + FAILED + TIMED_OUT); null when nothing has completed. */
      successRate: number | null;
      /** Format: date-time */
      to: string;
    };
    TopicLag: {
      /** @description Records not yet committed by the group, over all partitions. */
      lag: number;
      /** @description Partitions with at least one record not committed. */
      partitionsBehind: number;
      topic: string;
    };
    Transaction: {
      attempts: number | null;
      /** Format: date-time */
      completedAt: string | null;
      /** @description The consuming system (`hub` for the hub’s own checks). */
      consumer: string;
      correlationId: string | null;
      errorCode: string | null;
      eventId: string;
      eventType: string | null;
      /** @description The receipt came after the delivery deadline. */
      late: boolean;
      /** @description Published to completed, in ms. */
      latencyMs: number | null;
      /** @description The legal basis of that subscription, as the catalogue had it then. */
      legalBasis: string | null;
      provider: string | null;
      /** Format: date-time */
      publishedAt: string | null;
      /** @description The purpose of the subscription it was delivered under, as the catalogue had it then. */
      purpose: string | null;
      reason: string | null;
      /** Format: date-time */
      receivedAt: string | null;
      /** Format: date-time */
      replayRequestedAt: string | null;
      serviceCode: string | null;
      /** @enum {string} */
      status: 'PENDING' | 'SUCCESS' | 'FAILED' | 'REJECTED' | 'TIMED_OUT';
      /** @description The subject’s pseudonymous key (never a citizen ID). */
      subjectHash: string | null;
      /** Format: date-time */
      timedOutAt: string | null;
    };
    /** @description Also checked by the hub and every consumer: purpose is in Unicode NFC; legalBasis is in Unicode NFC. */
    UpdateSubscriptionDto: {
      legalBasis?: string;
      purpose?: string;
      /** @enum {string} */
      status?: 'ACTIVE' | 'DISABLED';
    };
    /** @description Also checked by the hub and every consumer: name is in Unicode NFC. */
    UpdateSystemDto: {
      name?: string;
      /** @enum {string} */
      status?: 'ACTIVE' | 'DISABLED';
    };
    VerifyDto: {
      from?: string;
      signedFrom?: number;
      to?: string;
    };
    VerifyProblem: {
      /** @description REMOVED: the entry after which one is missing. */
      afterEntryId?: string;
      /** @description The entry altered, removed or inserted. */
      entryId?: string;
      /** @description The key a seal names (BAD_SIGNATURE, UNKNOWN_KEY). */
      keyId?: string;
      /** @enum {string} */
      kind:
        | 'ALTERED'
        | 'REMOVED'
        | 'INSERTED'
        | 'SEAL_CHAIN_BROKEN'
        | 'SEAL_ALTERED'
        | 'BAD_SIGNATURE'
        | 'UNKNOWN_KEY'
        | 'UNSIGNED_SEAL';
      sealSequence: number | null;
    };
  };
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
  MeController_me: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The caller’s role and label. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            label: string;
            /** @enum {string} */
            role: 'SYSTEM' | 'OPERATOR' | 'AUDITOR' | 'ADMIN';
            system?: string;
          };
        };
      };
    };
  };
  AdminActionsController_list: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  AuditController_export: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  AuditController_exportByBody: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['ExportDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  AuditController_log: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AuditLogPage'];
        };
      };
    };
  };
  SealKeysController_publicKey: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  AuditController_queries: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The newest 200, newest first. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AuditQueryRecord'][];
        };
      };
    };
  };
  AuditController_search: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['AuditQueryDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AuditLogPage'];
        };
      };
    };
  };
  SubjectReportController_byQuery: {
    parameters: {
      query: {
        /** @description The 12-digit personal ID number (hashed by the hub, never kept). */
        citizenId: string;
        /** @description json (default), csv, or html: a printable document in Vietnamese. */
        format?: 'json' | 'csv' | 'html';
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Every exchange about the citizen, oldest first. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['SubjectReport'];
          'text/csv': string;
          'text/html': string;
        };
      };
    };
  };
  SubjectReportController_byBody: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['SubjectReportRequest'];
      };
    };
    responses: {
      /** @description Every exchange about the citizen, oldest first. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['SubjectReport'];
          'text/csv': string;
          'text/html': string;
        };
      };
    };
  };
  AuditController_verify: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['VerifyDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['LogVerificationAnswer'];
        };
      };
    };
  };
  CasesController_stuck: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Oldest activity first. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['StuckCase'][];
        };
      };
    };
  };
  CasesController_case: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        correlationId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Case'];
        };
      };
    };
  };
  EventTypesController_list: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  EventTypesController_schema: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        type: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  CatalogueController_services: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Every service, one event type each. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CatalogueService'][];
        };
      };
    };
  };
  CatalogueAdminController_putService: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        code: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['PutServiceDto'];
      };
    };
    responses: {
      /** @description The service as it is now. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CatalogueService'];
        };
      };
    };
  };
  CatalogueController_subscriptions: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Who receives what, for what purpose, on what legal basis. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Subscription'][];
        };
      };
    };
  };
  CatalogueAdminController_putSubscription: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        consumer: string;
        service: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['PutSubscriptionDto'];
      };
    };
    responses: {
      /** @description The subscription as it is now. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Subscription'];
        };
      };
    };
  };
  CatalogueAdminController_updateSubscription: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        consumer: string;
        service: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['UpdateSubscriptionDto'];
      };
    };
    responses: {
      /** @description The subscription as it is now. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Subscription'];
        };
      };
    };
  };
  CatalogueController_systems: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Every member system. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['MemberSystem'][];
        };
      };
    };
  };
  CatalogueAdminController_createSystem: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CreateSystemDto'];
      };
    };
    responses: {
      /** @description The new system. */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['MemberSystem'];
        };
      };
    };
  };
  CatalogueAdminController_updateSystem: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        code: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['UpdateSystemDto'];
      };
    };
    responses: {
      /** @description The system as it is now. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['MemberSystem'];
        };
      };
    };
  };
  ConsumerLagController_read: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Per consumer group: records not yet committed, by topic (reused for 5 s). */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ConsumerLagAnswer'];
        };
      };
      /** @description HUB.CONSUMER_LAG_UNAVAILABLE: the broker could not be asked. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  CredentialsController_list: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Oldest first, revoked ones too. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CredentialRecord'][];
        };
      };
    };
  };
  CredentialsController_issue: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['IssueCredentialDto'];
      };
    };
    responses: {
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['IssuedCredential'];
        };
      };
    };
  };
  CredentialsController_revoke: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  CredentialsController_rotate: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['RotateCredentialDto'];
      };
    };
    responses: {
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['RotatedCredential'];
        };
      };
    };
  };
  DeadLettersController_list: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Most recently completed first. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Transaction'][];
        };
      };
    };
  };
  DeadLettersController_replay: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['ReplayDto'];
      };
    };
    responses: {
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ReplayAnswer'];
        };
      };
    };
  };
  DeadLettersController_summary: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['DeadLetterGroup'][];
        };
      };
    };
  };
  PublishController_publish: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        type: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      202: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  PublishController_publishBatch: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        type: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['PublishBatchDto'];
      };
    };
    responses: {
      /** @description One result per item. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            accepted: number;
            refused: number;
            /** @description One per item, in the order of the items. */
            results: (
              | {
                  correlationId: string;
                  /** Format: uuid */
                  eventId: string;
                  index: number;
                  /** @enum {string} */
                  status: 'ACCEPTED';
                  topic: string;
                }
              | {
                  /** @example CONTRACT.INVALID_PAYLOAD */
                  code: string;
                  correlationId: string;
                  errors?: {
                    field?: string;
                    messages?: string[];
                  }[];
                  index: number;
                  message: string;
                  /** @enum {string} */
                  status: 'REFUSED';
                }
            )[];
          };
        };
      };
    };
  };
  HealthController_check: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  HealthController_live: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  HealthController_ready: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  LogController_entries: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  MetricsController_scrape: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  ReportsController_cardLinks: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  StatsController_service: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        code: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The service’s figures. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['SuccessRateAnswer'];
        };
      };
    };
  };
  StatsController_query: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Counts, rates and latencies per group. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['StatsAnswer'];
        };
      };
    };
  };
  StatsController_hub: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The whole hub’s figures. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['SuccessRateAnswer'];
        };
      };
    };
  };
  TransactionsController_list: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page, newest first. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Transaction'][];
        };
      };
    };
  };
  TransactionsController_byEvent: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        eventId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description One per subscribing consumer. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Transaction'][];
        };
      };
    };
  };
}
