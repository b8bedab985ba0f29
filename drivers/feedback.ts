/**
 * Feedback at the scanner itself: a dock worker looks at the scanner, not the screen. Honeywell
 * (and compatible Newland/Zebra firmware in Honeywell emulation) sound the beeper on the host
 * command SYN BEL CR. Sent after a rejected or duplicate scan, it adds an error beep to the
 * scanner's own good-read beep. Off unless the binding asks for it: other scanners may not know it.
 */
export type FeedbackProtocol = 'none' | 'honeywell';
export const FEEDBACK_PROTOCOLS: readonly FeedbackProtocol[] = ['none', 'honeywell'];

/** Serial / USB-COM: the command as bytes on the line. */
export const HONEYWELL_BEEP_SERIAL = Uint8Array.from([0x16, 0x07, 0x0d]);

/** HID POS: the same command in an output report (report id 0xFD, length 3). */
export const HONEYWELL_BEEP_HID = [0xfd, 0x03, 0x16, 0x07, 0x0d];
