import { Router } from 'express';
import type { AuthService } from '../../services/auth.service.js';
import type { Dock } from '../../services/dock/index.js';
import { masterDataRouter } from './master-data.js';
import { relationsRouter } from './relations.js';
import { documentsRouter } from './documents.js';
import type { StationService } from '../../services/station.service.js';

/** Dock routes (issue 5): each area mounts its own router here. */
export function dockRouter(_dock: Dock, _auth: AuthService, stations: StationService): Router {
  const r = Router();
  r.use(masterDataRouter(_dock.masterData, _auth));
  r.use('/relations', relationsRouter(_dock.relations, _auth));
  r.use(documentsRouter(_dock, _auth, stations));
  return r;
}
