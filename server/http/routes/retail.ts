import express, { Router } from 'express';
import { z } from 'zod';
import { idParam } from '../../contract/http.js';
import { addSaleCodeBody, cancelSaleBody, openSaleBody, resumeSaleBody, saleBuyerBody, saleListQuery, salePrescriptionBody, type RetailRulesView, type StationSaleView } from '../../contract/retail.js';
import { retryUploadBody } from '../../contract/uploads.js';
import { AppError } from '../../services/app-error.js';
import { listSales } from '../../services/retail/sale-list.js';
import type { AuthService } from '../../services/auth.service.js';
import type { Retail } from '../../services/retail/index.js';
import { parseOr400 } from '../../validate.js';
import { reconcileRetailDay } from '../../services/retail/reconciliation.js';
import { dailyReportXlsx } from '../../services/retail/daily-report.js';
import { ctxOf } from '../guard.js';

const rulesBody = z.object({ rules: z.unknown(), note: z.string().trim().max(500).optional() }).strict();

/** The retail counter (issue 7): business `retail` for sales, `masterdata` for the rule table. */
export function retailRouter(retail: Retail, auth: AuthService): Router {
  const r = Router();
  const actor = async (res: Parameters<typeof ctxOf>[0], business: 'retail' | 'masterdata' | 'upload' = 'retail') => {
    const ctx = ctxOf(res);
    const { unitId } = await auth.authorize(ctx, business);
    return { unitId, operatorId: ctx.operatorId };
  };
  const id = (v: unknown) => parseOr400(idParam, v);

  r.post('/retail/sales', async (req, res) => {
    const a = await actor(res);
    const b = parseOr400(openSaleBody, req.body ?? {});
    res.status(201).json(await retail.sales.open(a, b.stationId ?? null));
  });
  r.get('/retail/sales', async (req, res) => {
    const a = await actor(res);
    res.json(await listSales(retail.knex, a.unitId, parseOr400(saleListQuery, req.query)));
  });
  // The sale a retail station's scanner feeds now: what the counter shows when it is that station.
  r.get('/retail/stations/:id/sale', async (req, res) => {
    const a = await actor(res);
    const stationId = id(req.params.id);
    res.json({ stationId, sale: await retail.sales.atStation(a.unitId, stationId) } satisfies StationSaleView);
  });
  r.post('/retail/sales/:id/resume', async (req, res) => {
    const a = await actor(res);
    const b = parseOr400(resumeSaleBody, req.body ?? {});
    res.json(await retail.sales.resume(a, id(req.params.id), b.stationId ?? null));
  });
  r.get('/retail/sales/:id', async (req, res) => {
    const a = await actor(res);
    res.json(await retail.sales.detail(a.unitId, id(req.params.id)));
  });
  r.post('/retail/sales/:id/codes', async (req, res) => {
    const a = await actor(res);
    res.json(await retail.sales.addCode(a, id(req.params.id), parseOr400(addSaleCodeBody, req.body).code));
  });
  r.delete('/retail/sales/:id/lines/:lineId', async (req, res) => {
    const a = await actor(res);
    res.json(await retail.sales.removeLine(a, id(req.params.id), id(req.params.lineId)));
  });
  r.put('/retail/sales/:id/buyer', async (req, res) => {
    const a = await actor(res);
    res.json(await retail.sales.setBuyer(a, id(req.params.id), parseOr400(saleBuyerBody, req.body)));
  });
  r.put('/retail/sales/:id/prescription', async (req, res) => {
    const a = await actor(res);
    res.json(await retail.sales.setPrescription(a, id(req.params.id), parseOr400(salePrescriptionBody, req.body)));
  });
  // The photo as the raw body (image/jpeg or image/png, ≤ 5 MB).
  r.put('/retail/sales/:id/prescription/photo', express.raw({ type: ['image/jpeg', 'image/png'], limit: '5mb' }), async (req, res) => {
    const a = await actor(res);
    res.json(await retail.sales.setPhoto(a, id(req.params.id), req.headers['content-type'], Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0)));
  });
  r.get('/retail/sales/:id/prescription/photo', async (req, res) => {
    const a = await actor(res);
    const p = await retail.sales.photo(a.unitId, id(req.params.id));
    if (!p) return void res.status(404).json({ error: { code: 'NOT_FOUND', message: 'no photo' } });
    res.type(p.type).setHeader('cache-control', 'no-store').send(p.bytes);
  });
  r.post('/retail/sales/:id/complete', async (req, res) => {
    const a = await actor(res);
    res.json(await retail.sales.complete(a, id(req.params.id)));
  });
  r.post('/retail/sales/:id/cancel', async (req, res) => {
    const a = await actor(res);
    res.json(await retail.sales.cancel(a, id(req.params.id), parseOr400(cancelSaleBody, req.body).reason));
  });
  r.get('/retail/reconciliation', async (req, res) => {
    const a = await actor(res);
    const { date } = parseOr400(z.object({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }), req.query);
    res.json(await reconcileRetailDay(retail.knex, a.unitId, date));
  });
  const dateQuery = z.object({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) });
  r.get('/retail/reconciliation/report', async (req, res) => {
    const a = await actor(res);
    const { date } = parseOr400(dateQuery, req.query);
    const unit = (await retail.knex('units').where({ id: a.unitId }).first('name')) as { name: string } | undefined;
    const xlsx = await dailyReportXlsx(await reconcileRetailDay(retail.knex, a.unitId, date), await retail.register.day(a.unitId, date), unit?.name ?? '');
    res.setHeader('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    res.setHeader('content-disposition', `attachment; filename="retail-${date}.xlsx"`);
    res.send(xlsx);
  });
  r.get('/retail/register', async (req, res) => {
    const a = await actor(res);
    res.json(await retail.register.day(a.unitId, parseOr400(dateQuery, req.query).date));
  });
  // The register with buyers in clear leaves only encrypted (see server/security/openssl-enc.ts).
  r.post('/retail/register/export', async (req, res) => {
    const a = await actor(res);
    const b = parseOr400(z.object({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), password: z.string().min(12).max(200), reason: z.string().trim().min(2).max(200) }).strict(), req.body);
    const file = await retail.register.exportClear(ctxOf(res), a.unitId, b.date, b.password, b.reason);
    res.setHeader('content-type', 'application/octet-stream');
    res.setHeader('content-disposition', `attachment; filename="register-${b.date}.xlsx.enc"`);
    res.send(file);
  });
  r.post('/retail/register/:id/reveal', async (req, res) => {
    const a = await actor(res);
    const { reason } = parseOr400(z.object({ reason: z.string().trim().min(2).max(200) }).strict(), req.body);
    res.json(await retail.register.reveal(ctxOf(res), a.unitId, id(req.params.id), reason));
  });
  // The upload monitor's Gansu section: the upload business, like the rest of the monitor.
  r.get('/retail/gansu/uploads', async (_req, res) => {
    const a = await actor(res, 'upload');
    if (!retail.gansu) throw new AppError('NOT_FOUND', 404);
    res.json(await retail.gansu.monitor.view(a.unitId));
  });
  r.post('/retail/gansu/uploads/:id/resend', async (req, res) => {
    const a = await actor(res, 'upload');
    if (!retail.gansu) throw new AppError('NOT_FOUND', 404);
    const b = parseOr400(retryUploadBody, req.body ?? {});
    res.json(await retail.gansu.resend.resend(a.unitId, a.operatorId, id(req.params.id), b.reason));
  });
  r.get('/retail/rules', async (_req, res) => {
    const a = await actor(res);
    const cur = await retail.ruleSets.current(retail.knex, a.unitId);
    res.json({ id: cur.id, rules: cur.rules, createdAt: cur.createdAt } satisfies RetailRulesView);
  });
  r.put('/retail/rules', async (req, res) => {
    const a = await actor(res, 'masterdata');
    const b = parseOr400(rulesBody, req.body);
    const cur = await retail.ruleSets.replace(a.unitId, b.rules, a.operatorId, b.note ?? null, Date.now());
    res.json({ id: cur.id, rules: cur.rules, createdAt: cur.createdAt } satisfies RetailRulesView);
  });
  return r;
}
