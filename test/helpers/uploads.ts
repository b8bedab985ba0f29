import type { UploadSummaryView } from '../../server/contract/uploads.js';
import { json } from './dock.js';
import type { TestWorkstation } from './workstation.js';

/** Polls the upload monitor until `ok` holds (or the deadline passes) and returns the last summary. */
export async function uploadsWhen(ws: TestWorkstation, ok: (s: UploadSummaryView) => boolean, ms = 15_000): Promise<UploadSummaryView> {
  const deadline = Date.now() + ms;
  for (;;) {
    const s = await json<UploadSummaryView>(ws, 'GET', '/api/uploads');
    if (ok(s) || Date.now() > deadline) return s;
    await new Promise((r) => setTimeout(r, 50));
  }
}
