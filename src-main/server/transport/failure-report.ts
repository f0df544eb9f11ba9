/** Wraps an unexpected error with the action it broke, so the log says where without the payload. */
export class ActionFailure extends Error {
  constructor(
    readonly action: string,
    readonly original: unknown,
  ) {
    super(`action ${action} failed`);
    this.name = 'ActionFailure';
  }
}

/** Error name and stack frames only: a message could quote the payload. */
export function describeFailure(error: unknown): string {
  const where = error instanceof ActionFailure ? ` in ${error.action}` : '';
  const original = error instanceof ActionFailure ? error.original : error;
  const name = original instanceof Error ? original.name : typeof original;
  const frames =
    original instanceof Error && original.stack
      ? original.stack
          .split('\n')
          .filter((line) => line.trimStart().startsWith('at '))
          .slice(0, 5)
          .map((line) => line.trim())
          .join(' | ')
      : '';
  return `request failed${where}: ${name}${frames ? ` (${frames})` : ''}`;
}
