/**
 * Exits once everything written to STREAM has been handed to the OS. On macOS (and Windows)
 * stdout into a pipe is asynchronous in Node: exiting right after the last write can cut the
 * report short, and the runner that reads it sees a truncated or empty result.
 */
export function exitAfterFlush(
  stream: Pick<NodeJS.WritableStream, 'write'>,
  exit: (code: number) => void,
  code: number,
): void {
  // Writes complete in order: this empty one's callback runs after every earlier write.
  stream.write('', () => exit(code));
}
