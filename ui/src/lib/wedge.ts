import { WedgeDetector, DEFAULT_WEDGE_OPTIONS } from '../../../drivers/wedge/detector';

/**
 * Keyboard-wedge scanners "type" a code in a burst and press Enter/Tab. We listen on the window in
 * the capture phase so no input needs focus. While a text field has focus its keys still land in
 * it (a person may be typing); only when the detector recognises a burst do we take the keys back:
 * the field is restored to what it held before the burst and the suffix key is swallowed.
 */

function editable(el: Element | null): el is HTMLInputElement | HTMLTextAreaElement {
  if (el instanceof HTMLTextAreaElement) return true;
  return el instanceof HTMLInputElement && !['button', 'checkbox', 'radio', 'submit', 'reset'].includes(el.type);
}

export function startWedge(onScan: (text: string) => void): () => void {
  const detector = new WedgeDetector();
  let lastTime = -Infinity;
  let saved: { el: HTMLInputElement | HTMLTextAreaElement; value: string } | null = null;

  const onKey = (ev: KeyboardEvent): void => {
    if (ev.isComposing) return; // IME (pinyin) input is a person typing, never a scanner
    const time = ev.timeStamp;
    const focused = document.activeElement;
    const fast = time - lastTime <= DEFAULT_WEDGE_OPTIONS.maxInterKeyMs;
    lastTime = time;
    if (editable(focused) && (!fast || saved?.el !== focused)) saved = { el: focused, value: focused.value };

    const scan = detector.key({ key: ev.key, time, ctrlKey: ev.ctrlKey, altKey: ev.altKey });
    if (scan) {
      ev.preventDefault();
      ev.stopImmediatePropagation();
      if (saved && saved.el === focused) saved.el.value = saved.value;
      saved = null;
      onScan(scan.text);
      return;
    }
    // Keys inside a burst do nothing outside a text field; cancelling them keeps browser features
    // such as Firefox's "/" quick-find from popping up in the middle of a scan.
    if (fast && !editable(focused) && ev.key.length === 1) ev.preventDefault();
  };

  window.addEventListener('keydown', onKey, { capture: true });
  return () => window.removeEventListener('keydown', onKey, { capture: true });
}
