/**
 * Permission requests from web content: a chat needs desktop notifications for new messages and
 * writing plain text to the clipboard (the Copy buttons, the invite message), nothing else (no
 * camera, microphone, location, clipboard reading, ...).
 */
const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set([
  'notifications',
  'clipboard-sanitized-write',
]);

export function isPermissionAllowed(
  permission: string,
  requestingUrl: string,
  appOrigin: string,
): boolean {
  return ALLOWED_PERMISSIONS.has(permission) && originOf(requestingUrl) === appOrigin;
}

function originOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return null;
  }
}
