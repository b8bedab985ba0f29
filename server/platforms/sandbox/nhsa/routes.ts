import {
  QUERY_OPERATIONS,
  UPLOAD_OPERATIONS,
  type NhsaProfile,
  type QueryOperation,
  type UploadOperation,
} from '../../nhsa/profile.schema.js';
import { CONTROL_PREFIX } from '../common/control.js';

export type Route = { kind: 'upload'; id: UploadOperation } | { kind: 'query'; id: QueryOperation };

/**
 * Path → operation. The profile schema does not forbid two operations sharing a path, but the
 * platform could not tell them apart either, so such a profile is refused here.
 */
export function routesOf(profile: NhsaProfile): Map<string, Route> {
  const routes = new Map<string, Route>();
  const add = (path: string, route: Route) => {
    const clash = routes.get(path);
    if (clash) throw new Error(`NHSA profile: operations ${clash.id} and ${route.id} share the path ${path}`);
    if (path.startsWith(CONTROL_PREFIX)) throw new Error(`NHSA profile: ${route.id} uses the sandbox control path ${path}`);
    routes.set(path, route);
  };
  for (const id of UPLOAD_OPERATIONS) add(profile.operations[id].path, { kind: 'upload', id });
  for (const id of QUERY_OPERATIONS) add(profile.operations[id].path, { kind: 'query', id });
  return routes;
}
