import { Router } from 'express';
import type { AuthService } from '../../services/auth.service.js';
import type { Dock } from '../../services/dock/index.js';

/** Dock routes (issue 5): each area mounts its own router here. */
export function dockRouter(_dock: Dock, _auth: AuthService): Router {
  const r = Router();
  return r;
}
