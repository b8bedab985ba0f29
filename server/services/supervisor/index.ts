import type { Knex } from 'knex';
import type { CodesService } from '../dock/codes.service.js';
import { CodeQueryService } from './code-query.service.js';
import { TimelineService } from './timeline.service.js';

export interface Supervisor {
  timeline: TimelineService;
  queries: CodeQueryService;
}

/** The supervisor's reads: one code's timeline, and questions over all the unit's codes. */
export function createSupervisor(d: { knex: Knex; codes: CodesService }): Supervisor {
  return { timeline: new TimelineService(d.knex, d.codes), queries: new CodeQueryService(d.knex) };
}
