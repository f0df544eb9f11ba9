import type { LocalChatBridge } from './contract';

declare global {
  interface Window {
    /** Present only inside the Electron app (set by the preload); undefined in a browser. */
    localchat?: LocalChatBridge;
  }
}

export {};
