import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  EVENT_CHANNELS,
  INVOKE_CHANNELS,
  type EventChannel,
  type InvokeChannel,
  type IpcEvents,
  type LocalChatBridge,
} from '../../src-shared/ipc/contract';

// Sandboxed preload: bundled into one CommonJS file, it may require nothing but 'electron'.
const invokable: ReadonlySet<string> = new Set(INVOKE_CHANNELS);
const events: ReadonlySet<string> = new Set(EVENT_CHANNELS);

const bridge: LocalChatBridge = {
  invoke(channel: InvokeChannel, ...args: unknown[]) {
    if (!invokable.has(channel))
      return Promise.reject(new Error(`Unknown channel ${String(channel)}`));
    return ipcRenderer.invoke(channel, ...args);
  },
  on<K extends EventChannel>(channel: K, listener: (payload: IpcEvents[K]) => void) {
    if (!events.has(channel)) throw new Error(`Unknown event ${String(channel)}`);
    // The page never sees the IpcRendererEvent (it carries sender internals).
    const forward = (_event: IpcRendererEvent, payload: IpcEvents[K]) => listener(payload);
    ipcRenderer.on(channel, forward);
    return () => {
      ipcRenderer.removeListener(channel, forward);
    };
  },
  request(req) {
    return ipcRenderer.invoke('server:request', req);
  },
} as LocalChatBridge;

contextBridge.exposeInMainWorld('localchat', bridge);
