const utf8 = new TextDecoder('utf-8', { fatal: false });
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Bytes → text, never throwing: invalid sequences become U+FFFD and are reported. */
export function decodeUtf8(bytes: Uint8Array): { text: string; validUtf8: boolean } {
  try {
    return { text: strictUtf8.decode(bytes), validUtf8: true };
  } catch {
    return { text: utf8.decode(bytes), validUtf8: false };
  }
}
