import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * The upload in slices of at most `size` bytes, with a turn of the event loop between slices. The
 * XML parser runs synchronously over whatever it is given, so a 256 KiB chunk holds the main
 * thread ~10 ms — and with it the completion of the staging statement that the database thread
 * has already finished, which leaves that thread idle until the chunk is parsed.
 */
export async function* inSlices(input: AsyncIterable<Buffer | string>, size: number): AsyncGenerator<Buffer | string> {
  for await (const chunk of input) {
    // Text arrives only from callers that built it in memory; cutting it could split a surrogate pair.
    if (typeof chunk === 'string' || chunk.length <= size) {
      yield chunk;
      continue;
    }
    for (let at = 0; at < chunk.length; at += size) {
      if (at > 0) await nextTurn();
      yield chunk.subarray(at, at + size);
    }
  }
}
