import type { HealthView } from '../../../../server/contract/views.js';
import { socket } from '../socket.js';
import { api } from '../api.js';

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting';

/** Socket connection as the worker should see it; also carries /api/health for the sandbox badge. */
class Connection {
  state = $state<ConnectionState>(socket.connected ? 'connected' : 'connecting');
  attempt = $state(0);
  health = $state.raw<HealthView | null>(null);

  constructor() {
    socket.on('connect', () => {
      this.state = 'connected';
      this.attempt = 0;
      void this.refreshHealth();
    });
    socket.on('disconnect', () => {
      this.state = 'reconnecting';
    });
    socket.io.on('reconnect_attempt', (n) => {
      this.state = 'reconnecting';
      this.attempt = n;
    });
    socket.on('connect_error', () => {
      // A first connection that fails is a reconnect loop as far as the worker is concerned.
      if (this.state === 'connecting') this.state = 'reconnecting';
    });
  }

  private async refreshHealth(): Promise<void> {
    try {
      this.health = await api.get<HealthView>('/api/health');
    } catch {
      // The badge is informational; the connection indicator already tells the worker something is off.
    }
  }

  get sandbox(): boolean {
    const p = this.health?.platforms;
    return p !== undefined && (p.nhsa === 'sandbox' || p.gansu === 'sandbox');
  }
}

export const connection = new Connection();
