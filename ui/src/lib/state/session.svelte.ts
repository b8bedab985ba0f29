import type { Business, SessionView } from '../../../../server/contract/accounts.js';
import { api, ApiError, onSessionProblem } from '../api.js';
import { disconnectSocket, isSocketAuthError, reconnectSocket, socket } from '../socket.js';

/**
 * Who is logged in at this screen, and for which unit. The token lives in an HttpOnly cookie the
 * page never sees; GET /api/session is the only way to know whether it is still good.
 */
class SessionStore {
  current = $state.raw<SessionView | null>(null);
  /** True until the first GET /api/session has answered (or failed). */
  loading = $state(true);
  /** Set when the workstation could not be asked at all (not when nobody is logged in). */
  loadError = $state<string | null>(null);

  /** One reconnect per session check: a server that keeps refusing the socket must not loop. */
  private socketRetried = false;

  constructor() {
    onSessionProblem((code) => {
      if (code === 'AUTH_REQUIRED' || code === 'SESSION_INVALID') this.current = null;
      else void this.load();
    });
    socket.on('connect_error', (err) => {
      if (!isSocketAuthError(err)) return;
      // Ask HTTP: the socket may have raced a login (its handshake left before the cookie was set).
      void this.load().then(() => {
        if (this.current && !this.socketRetried) {
          this.socketRetried = true;
          reconnectSocket();
        }
      });
    });
  }

  get loggedIn(): boolean {
    return this.current !== null;
  }

  /** Workstation administrators, or holders of the unit-administration business of the chosen unit. */
  get isAdmin(): boolean {
    const s = this.current;
    return s !== null && (s.operator.isAdmin || s.businesses.includes('admin'));
  }

  has(business: Business): boolean {
    return this.current?.businesses.includes(business) ?? false;
  }

  async load(): Promise<void> {
    try {
      this.set(await api.get<SessionView>('/api/session'));
      this.loadError = null;
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) {
        this.set(null);
        this.loadError = null;
      } else {
        this.loadError = err instanceof Error ? err.message : String(err);
      }
    } finally {
      this.loading = false;
    }
  }

  /** Throws ApiError (LOGIN_FAILED, ACCOUNT_LOCKED, VALIDATION_FAILED) for the login page to show. */
  async login(username: string, password: string): Promise<void> {
    this.set(await api.post<SessionView>('/api/session', { username, password }));
    await this.autoChooseUnit();
    reconnectSocket();
  }

  async logout(): Promise<void> {
    try {
      await api.del('/api/session');
    } finally {
      // Even if the workstation is unreachable, this screen must stop acting for the operator.
      this.set(null);
      disconnectSocket();
    }
  }

  async chooseUnit(unitId: number): Promise<void> {
    this.set(await api.post<SessionView>('/api/session/unit', { unitId }));
    reconnectSocket();
  }

  /** Throws ApiError (PASSWORD_WRONG, PASSWORD_POLICY, PASSWORD_REUSED) for the page to show. */
  async changePassword(currentPassword: string, newPassword: string): Promise<void> {
    await api.post<null>('/api/session/password', { currentPassword, newPassword });
    await this.load();
    await this.autoChooseUnit();
    reconnectSocket();
  }

  private set(view: SessionView | null): void {
    this.current = view;
    this.socketRetried = false;
  }

  /**
   * One bound unit: nothing to choose (the NHSA portal skips the list in that case too). A failure
   * leaves the unit unchosen, and the unit page shows the list with its own error handling.
   */
  private async autoChooseUnit(): Promise<void> {
    const s = this.current;
    if (!s || s.mustChangePassword || s.unit || s.units.length !== 1) return;
    try {
      this.set(await api.post<SessionView>('/api/session/unit', { unitId: s.units[0]!.id }));
    } catch {
      // Shown as the one-item list on the unit page.
    }
  }

  /** First load of the page: an existing cookie skips the login screen. */
  async start(): Promise<void> {
    await this.load();
    if (!this.current) return;
    await this.autoChooseUnit();
    reconnectSocket();
  }
}

export const session = new SessionStore();
