import { dialog, shell, type BrowserWindow } from 'electron';
import { externalUrlSchema } from '../../src-shared/ipc/schemas';

export interface ExternalLinkDeps {
  /** Shows the full URL and asks; true to open. */
  confirm(url: string): Promise<boolean>;
  open(url: string): Promise<void>;
}

/**
 * Opens a message's link in the system browser. Main checks the scheme again and asks itself
 * (a compromised renderer could skip a confirmation it drew), showing the URL as parsed.
 */
export async function openExternalLink(url: string, deps: ExternalLinkDeps): Promise<boolean> {
  const parsed = externalUrlSchema.safeParse(url);
  if (!parsed.success) return false;
  const href = new URL(parsed.data).href;
  if (!(await deps.confirm(href))) return false;
  await deps.open(href);
  return true;
}

/** The desktop app's confirmation and opener. */
export function electronLinkOpener(window: () => BrowserWindow | null): ExternalLinkDeps {
  return {
    async confirm(url) {
      const options = {
        type: 'question' as const,
        buttons: ['Open in browser', 'Cancel'],
        defaultId: 1,
        cancelId: 1,
        title: 'Open link',
        message: 'Open this link in your web browser?',
        detail: url,
        noLink: true,
      };
      const parent = window();
      const { response } = parent
        ? await dialog.showMessageBox(parent, options)
        : await dialog.showMessageBox(options);
      return response === 0;
    },
    open: (url) => shell.openExternal(url),
  };
}
