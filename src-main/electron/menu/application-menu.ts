import type { MenuItemConstructorOptions } from 'electron';

export interface MenuContext {
  platform: NodeJS.Platform;
  /** app.isPackaged: an installed build, where developer tools are off. */
  isPackaged: boolean;
  appName: string;
}

/**
 * The application menu: the usual editing, zoom, window and quit commands with their standard
 * shortcuts (Electron's roles supply labels and accelerators per platform). No Help menu: its
 * usual "Learn more" link would be a request to somewhere the user never named. Reload and the
 * developer tools exist only when running from source.
 */
export function applicationMenuTemplate({
  platform,
  isPackaged,
  appName,
}: MenuContext): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [];
  if (mac) {
    template.push({
      label: appName,
      submenu: [
        { role: 'about' },
        { type: 'separator' },
        { role: 'services' },
        { type: 'separator' },
        { role: 'hide' },
        { role: 'hideOthers' },
        { role: 'unhide' },
        { type: 'separator' },
        { role: 'quit' },
      ],
    });
  }
  template.push(
    { label: 'File', submenu: [mac ? { role: 'close' } : { role: 'quit' }] },
    {
      label: 'Edit',
      submenu: [
        { role: 'undo' },
        { role: 'redo' },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        ...(mac ? [{ role: 'pasteAndMatchStyle' } as const] : []),
        { role: 'delete' },
        { type: 'separator' },
        { role: 'selectAll' },
      ],
    },
    {
      label: 'View',
      submenu: [
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        // zoomIn's own shortcut is Ctrl/Cmd+Plus, which needs Shift on most layouts.
        { role: 'zoomIn', accelerator: 'CommandOrControl+=', visible: false },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        ...(isPackaged
          ? []
          : ([
              { type: 'separator' },
              { role: 'reload' },
              { role: 'forceReload' },
              { role: 'toggleDevTools' },
            ] as const)),
      ],
    },
    {
      label: 'Window',
      submenu: mac
        ? [{ role: 'minimize' }, { role: 'zoom' }, { type: 'separator' }, { role: 'front' }]
        : [{ role: 'minimize' }, { role: 'close' }],
    },
  );
  return template;
}

/** The fields of Electron's before-input-event Input this check reads. */
export interface KeyInput {
  type: string;
  key: string;
  control: boolean;
  meta: boolean;
  alt: boolean;
  shift: boolean;
}

/**
 * Chromium's shortcuts for the developer tools (F12, Ctrl+Shift+I/J/C, Cmd+Alt+I/J/C on macOS):
 * a packaged build swallows them, whatever else might try to honour them.
 */
export function isDevToolsShortcut(input: KeyInput, platform: NodeJS.Platform): boolean {
  if (input.type !== 'keyDown') return false;
  if (input.key === 'F12') return true;
  const key = input.key.toLowerCase();
  if (!['i', 'j', 'c'].includes(key)) return false;
  return platform === 'darwin'
    ? input.meta && input.alt && !input.control
    : input.control && input.shift && !input.meta;
}
