/** A ticking "now" so relative times ("12 秒前") stay true without each component owning a timer. */
class Clock {
  now = $state(Date.now());

  constructor() {
    setInterval(() => {
      this.now = Date.now();
    }, 1000);
  }
}

export const clock = new Clock();
