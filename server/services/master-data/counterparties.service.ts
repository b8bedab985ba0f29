import type { Knex } from 'knex';
import type { CounterpartyFields, CounterpartyRow } from '../../../db/repositories/counterparties.repository.js';
import { isUniqueViolation, withWriteTx } from '../../../db/repositories/tx.js';
import {
  createCounterpartyBody,
  listQuery,
  updateCounterpartyBody,
  type CounterpartyView,
  type CreateCounterpartyBody,
  type ListQuery,
  type Page,
  type UpdateCounterpartyBody,
} from '../../contract/master-data.js';
import { parseOr400 } from '../../validate.js';
import { AppError } from '../app-error.js';
import type { AuthService, SessionContext } from '../auth.service.js';
import { assertReady } from '../station-access.js';
import { checkCounterparty } from './counterparty-rules.js';
import { throwProblems } from './problems.js';
import type { MasterDataRepos } from './repos.js';

/** 往来单位 of the session's unit: whom goods come from and go to. Another unit's parties are invisible. */
export class CounterpartiesService {
  constructor(
    private readonly knex: Knex,
    private readonly repos: MasterDataRepos,
    private readonly auth: AuthService,
    private readonly now: () => number = Date.now,
  ) {}

  async list(ctx: SessionContext, query: ListQuery): Promise<Page<CounterpartyView>> {
    const o = parseOr400(listQuery, query);
    const { rows, total } = await this.repos.counterparties.list(this.knex, unitOf(ctx), { search: o.q, limit: o.limit, offset: o.offset });
    return { items: rows.map(toCounterpartyView), total };
  }

  async get(ctx: SessionContext, id: number): Promise<CounterpartyView> {
    const c = await this.repos.counterparties.get(this.knex, unitOf(ctx), id);
    if (!c) throw new AppError('COUNTERPARTY_NOT_FOUND', 404);
    return toCounterpartyView(c);
  }

  async create(ctx: SessionContext, body: CreateCounterpartyBody): Promise<CounterpartyView> {
    const { unitId } = await this.auth.authorize(ctx, 'masterdata');
    const { fields, problems } = checkCounterparty(parseOr400(createCounterpartyBody, body));
    if (problems.length) throwProblems(problems);
    const full: CounterpartyFields = { address: null, licenceNo: null, platformIds: {}, ...(fields as Pick<CounterpartyFields, 'name' | 'uscc' | 'type'>) };
    return this.write(() => withWriteTx(this.knex, (trx) => this.repos.counterparties.insert(trx, unitId, full, this.now())));
  }

  async update(ctx: SessionContext, id: number, body: UpdateCounterpartyBody): Promise<CounterpartyView> {
    const { unitId } = await this.auth.authorize(ctx, 'masterdata');
    const { fields, problems } = checkCounterparty(parseOr400(updateCounterpartyBody, body));
    if (problems.length) throwProblems(problems);
    return this.write(() =>
      withWriteTx(this.knex, async (trx) => {
        const c = await this.repos.counterparties.update(trx, unitId, id, fields, this.now());
        if (!c) throw new AppError('COUNTERPARTY_NOT_FOUND', 404);
        return c;
      }),
    );
  }

  private async write(fn: () => Promise<CounterpartyRow>): Promise<CounterpartyView> {
    try {
      return toCounterpartyView(await fn());
    } catch (err) {
      if (isUniqueViolation(err)) throw new AppError('COUNTERPARTY_USCC_TAKEN', 409);
      throw err;
    }
  }
}

function unitOf(ctx: SessionContext): number {
  assertReady(ctx);
  return ctx.unitId!;
}

export const toCounterpartyView = (c: CounterpartyRow): CounterpartyView => ({ ...c });
