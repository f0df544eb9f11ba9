import { useEffect } from 'react';
import { useChat, useHost } from '../../state/context';

/**
 * While in a room, a reload or a closed tab asks first (browsers show their own question); when
 * the page goes anyway, the session leaves the room so nobody stays listed as a ghost. The desktop
 * app does not ask: Electron would silently refuse to close the window instead.
 */
export function useLeaveOnUnload() {
  const inRoom = useChat((s) => s.phase === 'room');
  const leaveOnUnload = useChat((s) => s.leaveOnUnload);
  const host = useHost();
  useEffect(() => {
    if (!inRoom) return;
    const ask = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      // Older Chromium asks only when returnValue is set.
      e.returnValue = '';
    };
    if (host.kind === 'browser') window.addEventListener('beforeunload', ask);
    window.addEventListener('pagehide', leaveOnUnload);
    return () => {
      window.removeEventListener('beforeunload', ask);
      window.removeEventListener('pagehide', leaveOnUnload);
    };
  }, [inRoom, leaveOnUnload, host]);
}
