import type { ScanDecision } from '../../../server/contract/views.js';

/**
 * Distinct tones a worker can tell apart without looking: accepted = one short high beep,
 * duplicate = two mid beeps, rejected = a low harsh buzz. Browsers only allow audio after a user
 * gesture, so the AudioContext is created on the first key or pointer press (a scanner's first
 * keystroke in wedge mode counts as one).
 */

let ctx: AudioContext | null = null;
let creating = false;

function unlock(): void {
  if (ctx) {
    if (ctx.state === 'suspended') void ctx.resume();
    return;
  }
  if (creating) return;
  creating = true;
  // Not inside this keydown: constructing an AudioContext blocks for tens of milliseconds, enough
  // to split a wedge scanner's first key from the rest of its burst. The page keeps its (sticky)
  // user activation, so a context created a moment later may still play.
  setTimeout(() => {
    try {
      ctx = new AudioContext();
    } catch {
      // No audio device: the colours still tell the story.
    }
  }, 0);
}

export function installToneUnlock(): void {
  for (const type of ['keydown', 'pointerdown'] as const) window.addEventListener(type, unlock, { capture: true });
}

function beep(a: AudioContext, at: number, freq: number, ms: number, wave: OscillatorType, volume: number): void {
  const osc = a.createOscillator();
  const gain = a.createGain();
  osc.type = wave;
  osc.frequency.value = freq;
  const end = at + ms / 1000;
  // Short ramps instead of hard edges: hard edges click, and clicks sound like a fault.
  gain.gain.setValueAtTime(0, at);
  gain.gain.linearRampToValueAtTime(volume, at + 0.008);
  gain.gain.setValueAtTime(volume, end - 0.015);
  gain.gain.linearRampToValueAtTime(0, end);
  osc.connect(gain).connect(a.destination);
  osc.start(at);
  osc.stop(end + 0.01);
}

export function playTone(decision: ScanDecision): void {
  const a = ctx;
  if (!a || a.state === 'closed') return;
  // Some browsers suspend an idle context (power saving); wake it rather than drop the tone.
  if (a.state === 'suspended') {
    a.resume().then(() => play(a, decision), () => {});
    return;
  }
  play(a, decision);
}

function play(a: AudioContext, decision: ScanDecision): void {
  const t = a.currentTime + 0.01;
  switch (decision) {
    case 'accepted':
      beep(a, t, 1760, 110, 'sine', 0.35);
      break;
    case 'duplicate':
      beep(a, t, 880, 110, 'triangle', 0.4);
      beep(a, t + 0.2, 880, 110, 'triangle', 0.4);
      break;
    case 'rejected':
      beep(a, t, 140, 550, 'sawtooth', 0.3);
      beep(a, t, 147, 550, 'square', 0.15); // slightly detuned: the beat makes it unmistakably "wrong"
      break;
  }
}
