import type { Knex } from 'knex';
import { CodeQueryService } from './code-query.service.js';
import { TimelineService } from './timeline.service.js';

export interface Supervisor {
  timeline: TimelineService;
  queries: CodeQueryService;
}

/** The supervisor's reads: one code's timeline, and questions over all the unit's codes. */
export function createSupervisor(d: { knex: Knex }): Supervisor {
  return { timeline: new TimelineService(d.knex), queries: new CodeQueryService(d.knex) };
}
