/**
 * Drives the app's own page the way a user would (fields by their labels, buttons by their
 * names), so the self-test proves the window works, not just main. Each operation is one script
 * evaluated in the page: Electron's webContents.executeJavaScript in the app, Playwright's
 * page.evaluate in the tests here. No Electron in this module.
 */
export interface RendererDriver {
  /** What the page can reach: the bridge's keys and whether Node's globals leaked in. */
  environment(): Promise<PageEnvironment>;
  /** Makes calls main must refuse, from the page, and returns how each ended. */
  refusals(): Promise<PageRefusals>;
  waitForStartScreen(): Promise<void>;
  createRoom(input: { server: string; room: string; user: string }): Promise<void>;
  /** Invites `user` from the room's invite panel and returns the invite code shown. */
  invite(user: string): Promise<string>;
  waitForMessage(text: string): Promise<void>;
  send(text: string): Promise<void>;
  /** Closes the room from its menu, confirms, and waits for the ended screen. */
  closeRoom(): Promise<void>;
}

export interface PageEnvironment {
  bridge: string[] | null;
  require: string;
  process: string;
  url: string;
}

/** Each probe's error message, or 'accepted' if main let it through. */
export interface PageRefusals {
  /** hosting:start with an address that is not one. */
  malformedArguments: string;
  /** server:request to a file:// URL. */
  fileRequest: string;
  /** A channel that does not exist. */
  unknownChannel: string;
}

/** Evaluates a script expression in the page and resolves with its (JSON-serialisable) result. */
export type Evaluate = (script: string) => Promise<unknown>;

export class RendererDriverError extends Error {
  override name = 'RendererDriverError';
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: string };

/**
 * The page side, as source text: the page has its own realm, so this cannot be a function of
 * ours (a bundler may rewrite a function's text). Labels and button names are the UI's, as the
 * e2e specs use them. Every wait ends with an error naming what never appeared, plus any alert
 * the page shows, so a failing self-test says why.
 */
const PAGE_SCRIPT = String.raw`async (op, args, timeoutMs) => {
  const clean = (s) => (s || '').replace(/\s+/g, ' ').trim();
  const visible = (el) => !!el && el.getClientRects().length > 0;
  const alerts = () =>
    [...document.querySelectorAll('[role="alert"]')].filter(visible).map((el) => clean(el.textContent)).filter(Boolean);
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const waitFor = async (find, what) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = find();
      if (found) return found;
      if (Date.now() > deadline) {
        const shown = alerts();
        throw new Error('no ' + what + ' after ' + timeoutMs / 1000 + ' s' + (shown.length ? ' (the page says: ' + shown.join(' / ') + ')' : ''));
      }
      await sleep(50);
    }
  };
  const labelledBy = (el) => {
    const ids = (el.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean);
    return clean(ids.map((id) => (document.getElementById(id) || {}).textContent).join(' '));
  };
  // Text as a screen reader reads it: aria-hidden decoration (the menu's ▾) is not part of the name.
  const textOf = (el) =>
    [...el.childNodes]
      .map((n) => (n.nodeType === 3 ? n.textContent : n.nodeType === 1 && n.getAttribute('aria-hidden') !== 'true' ? textOf(n) : ''))
      .join('');
  const nameOf = (el) => clean(el.getAttribute('aria-label')) || labelledBy(el) || clean(textOf(el));
  const within = (root, selector, name) =>
    [...root.querySelectorAll(selector)].find((el) => visible(el) && nameOf(el) === name) || null;
  const field = (root, label) => {
    for (const el of root.querySelectorAll('label')) {
      if (clean(el.textContent) === label && el.htmlFor) {
        const target = document.getElementById(el.htmlFor);
        if (visible(target)) return target;
      }
    }
    return within(root, 'input, textarea', label);
  };
  const fill = (el, value) => {
    // React tracks the value it set; the prototype's setter makes the input event count.
    const proto = el instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
    Object.getOwnPropertyDescriptor(proto, 'value').set.call(el, value);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  };
  const click = async (root, name) => {
    const button = await waitFor(() => {
      const b = within(root, 'button', name);
      return b && !b.disabled ? b : null;
    }, 'button "' + name + '"');
    button.click();
  };
  const log = () => document.querySelector('[role="log"][aria-label="Messages"]');
  const logHas = (text) => {
    const l = log();
    // A line's text element too: a SYSTEM notice sets the names in it apart in elements of their own.
    return !!l && [...l.querySelectorAll('*')].some((el) => (el.children.length === 0 || el.classList.contains('text')) && clean(el.textContent).includes(text));
  };
  const dialog = (role, name) => waitFor(() => within(document, '[role="' + role + '"]', name), role + ' "' + name + '"');

  const ops = {
    environment: async () => ({
      bridge: globalThis.localchat ? Object.keys(globalThis.localchat).sort() : null,
      require: typeof globalThis.require,
      process: typeof globalThis.process,
      url: location.href,
    }),
    refusals: async () => {
      const bridge = globalThis.localchat;
      const outcome = (call) => Promise.resolve().then(call).then(() => 'accepted', (e) => String((e && e.message) || e));
      return {
        malformedArguments: await outcome(() => bridge.invoke('hosting:start', { address: 'not an address' })),
        fileRequest: await outcome(() => bridge.request({ url: 'file:///etc/passwd', action: 'pollMsg', payload: {} })),
        unknownChannel: await outcome(() => bridge.invoke('fs:read', '/etc/passwd')),
      };
    },
    waitForStartScreen: async () => {
      await waitFor(() => within(document, 'form', 'Start a room'), 'form "Start a room"');
    },
    createRoom: async ({ server, room, user }) => {
      const form = await waitFor(() => within(document, 'form', 'Start a room'), 'form "Start a room"');
      const address = field(form, 'Server address');
      if (address) fill(address, server);
      fill(await waitFor(() => field(form, 'Room name'), 'field "Room name"'), room);
      fill(await waitFor(() => field(form, 'Your name'), 'field "Your name"'), user);
      // The second member must get in without the owner admitting them.
      const askFirst = field(form, 'Ask me before anyone joins');
      if (askFirst && askFirst.checked) askFirst.click();
      await click(form, 'Start a room');
      await waitFor(() => [...document.querySelectorAll('h1')].some((h) => clean(h.textContent) === room), 'room heading "' + room + '"');
      await waitFor(() => logHas('User ' + user + ' joined the room'), 'join notice of ' + user);
    },
    invite: async ({ user }) => {
      await click(document, 'Invite…');
      const ask = await dialog('dialog', 'Invite someone');
      fill(await waitFor(() => field(ask, 'Their name in the room'), 'field "Their name in the room"'), user);
      await click(ask, 'Create invite');
      const panel = await dialog('dialog', 'Invite for ' + user);
      // The message to send holds one link (https or localchat://); its LC1 code is the invite.
      const code = await waitFor(() => {
        const input = field(panel, 'Message to send');
        const found = input && /LC1\.[A-Za-z0-9_-]+\.[0-9a-f]{8}/.exec(input.value);
        return found ? found[0] : null;
      }, 'invite message for ' + user);
      await click(panel, 'Done');
      return code;
    },
    waitForMessage: async ({ text }) => {
      await waitFor(() => logHas(text), 'message "' + text + '" in the room');
    },
    send: async ({ text }) => {
      const box = await waitFor(() => field(document, 'Message'), 'message box');
      fill(box, text);
      const form = box.closest('form');
      await click(form, 'Send');
      await waitFor(() => box.value === '' && logHas(text), 'own message "' + text + '" in the room');
    },
    closeRoom: async () => {
      await click(document, 'More');
      await click(document, 'Close room…');
      const confirm = await waitFor(() => document.querySelector('[role="alertdialog"]'), 'confirmation dialog');
      await click(confirm, 'Close room');
      await waitFor(() => within(document, 'button', 'Back to start'), 'screen saying the room ended');
    },
  };
  try {
    if (!Object.hasOwn(ops, op)) throw new Error('unknown operation ' + op);
    return { ok: true, value: (await ops[op](args)) ?? null };
  } catch (error) {
    return { ok: false, error: error && error.message ? error.message : String(error) };
  }
}`;

/** The call as one expression: the page script applied to JSON-encoded arguments. */
export function pageCall(op: string, args: unknown, timeoutMs: number): string {
  return `(${PAGE_SCRIPT})(${JSON.stringify(op)}, ${JSON.stringify(args ?? {})}, ${JSON.stringify(timeoutMs)})`;
}

/** A driver for any page reachable through `evaluate`; each wait gives up after `timeoutMs`. */
export function createPageDriver(evaluate: Evaluate, timeoutMs = 20_000): RendererDriver {
  async function run(op: string, args?: unknown): Promise<unknown> {
    const outcome = (await evaluate(pageCall(op, args, timeoutMs))) as Outcome | null;
    if (!outcome || typeof outcome !== 'object' || !('ok' in outcome)) {
      throw new RendererDriverError(`${op}: the page gave no answer`);
    }
    if (!outcome.ok) throw new RendererDriverError(outcome.error);
    return outcome.value;
  }
  return {
    environment: async () => (await run('environment')) as PageEnvironment,
    refusals: async () => (await run('refusals')) as PageRefusals,
    waitForStartScreen: async () => void (await run('waitForStartScreen')),
    createRoom: async (input) => void (await run('createRoom', input)),
    invite: async (user) => {
      const code = await run('invite', { user });
      if (typeof code !== 'string') throw new RendererDriverError('invite: no code shown');
      return code;
    },
    waitForMessage: async (text) => void (await run('waitForMessage', { text })),
    send: async (text) => void (await run('send', { text })),
    closeRoom: async () => void (await run('closeRoom')),
  };
}
