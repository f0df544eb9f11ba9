import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { generatePassword } from '../src-shared/crypto/passwords';
import { createBrowserHost } from './client/fetchTransport';
import { takeFragmentInvite } from './client/fragmentInvite';
import { createElectronHost } from './client/ipcTransport';
import { createElectronNotifier } from './client/electronNotifier';
import { createBrowserNotifier } from './client/notifier';
import { createBrowserClipboard, createElectronClipboard } from './client/roomClipboard';
import { createWorkerCipher } from './client/workerCipher';
import { createChatStore } from './state/store';
import { StoreProvider } from './state/context';
import { App } from './ui/App';
import './ui/styles.css';

// One transport interface, two implementations: the Electron bridge when the preload set it,
// otherwise same-origin fetch to the room server that served this page.
const host = window.localchat
  ? createElectronHost(window.localchat)
  : createBrowserHost(window.location);

const store = createChatStore({
  host,
  cipher: createWorkerCipher(),
  generatePassword: () => generatePassword(),
  notifier: window.localchat
    ? createElectronNotifier(window.localchat, createBrowserNotifier())
    : createBrowserNotifier(),
  clipboard: window.localchat
    ? createElectronClipboard(window.localchat, navigator.clipboard)
    : createBrowserClipboard(navigator.clipboard),
  performance: window.performance,
});

// Opened from an https invite link: the invite is filled in, and gone from the address bar.
const fragmentInvite = takeFragmentInvite(window.location, window.history);
if (fragmentInvite) store.getState().setInviteDraft(fragmentInvite);
// Another invite link opened in this tab only changes the fragment: no reload.
window.addEventListener('hashchange', () => {
  const link = takeFragmentInvite(window.location, window.history);
  if (link) store.getState().receiveJoinLink(link);
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <StoreProvider store={store} host={host}>
      <App />
    </StoreProvider>
  </StrictMode>,
);
