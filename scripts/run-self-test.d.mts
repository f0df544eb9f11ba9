export function selfTestCommand(
  app: string | undefined,
  electronBinary?: string | null,
): { command: string; args: string[]; error?: undefined } | { error: string };
