import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { Host } from '../client/transport';
import type { ChatState, ChatStore } from './store';

const StoreContext = createContext<{ store: ChatStore; host: Host } | null>(null);

export function StoreProvider({
  store,
  host,
  children,
}: {
  store: ChatStore;
  host: Host;
  children: ReactNode;
}) {
  return <StoreContext.Provider value={{ store, host }}>{children}</StoreContext.Provider>;
}

function useContextValue() {
  const value = useContext(StoreContext);
  if (!value) throw new Error('StoreProvider is missing');
  return value;
}

/** Selects from the one chat store. */
export function useChat<T>(selector: (state: ChatState) => T): T {
  return useStore(useContextValue().store, selector);
}

export function useHost(): Host {
  return useContextValue().host;
}
