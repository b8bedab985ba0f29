import type { ApiErrorBody } from '../../../server/contract/errors.js';
import { i18n, t } from '../i18n/index.svelte.js';

/** A failed API call: the server's error body when there was one, otherwise a network problem. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body: ApiErrorBody | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

function isErrorBody(v: unknown): v is { error: ApiErrorBody } {
  if (typeof v !== 'object' || v === null || !('error' in v)) return false;
  const e = (v as { error: unknown }).error;
  return typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string';
}

/** The message to show for an ApiErrorBody, in the current language whatever the server chose. */
export function errorText(body: ApiErrorBody): string {
  const base = body.messages?.[i18n.lang] ?? body.message;
  const details = body.issues?.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)) ?? [];
  return details.length ? `${base} (${details.join('; ')})` : base;
}

/** Any caught error as one line for the screen. */
export function describeError(err: unknown): string {
  if (err instanceof ApiError) return err.body ? errorText(err.body) : err.message;
  return err instanceof Error ? err.message : String(err);
}

/** Codes meaning "nobody is logged in here (any more)": the session store sends the worker to login. */
const AUTH_LOST = new Set(['AUTH_REQUIRED', 'SESSION_INVALID']);
/** Codes meaning "the session is fine but a step is missing" (password change, unit choice). */
const SESSION_STEP = new Set(['PASSWORD_CHANGE_REQUIRED', 'UNIT_NOT_CHOSEN']);

type SessionProblemHandler = (code: string) => void;
let sessionProblem: SessionProblemHandler = () => {};

/** The session store registers here; api.ts cannot import it (the store uses api). */
export function onSessionProblem(handler: SessionProblemHandler): void {
  sessionProblem = handler;
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers: {
        Accept: 'application/json',
        'Accept-Language': i18n.lang,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'NETWORK', t('error.network'));
  }
  const payload: unknown = await res.json().catch(() => null);
  if (res.ok) return payload as T;
  if (isErrorBody(payload)) {
    const code = payload.error.code;
    if ((res.status === 401 && AUTH_LOST.has(code)) || (res.status === 403 && SESSION_STEP.has(code))) sessionProblem(code);
    throw new ApiError(res.status, code, errorText(payload.error), payload.error);
  }
  throw new ApiError(res.status, 'HTTP_' + res.status, `${res.status} ${res.statusText}`);
}

export const api = {
  get: <T>(path: string) => request<T>('GET', path),
  post: <T>(path: string, body: unknown) => request<T>('POST', path, body),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
  /** 204 No Content: resolves with null. */
  del: <T = null>(path: string) => request<T>('DELETE', path),
};
