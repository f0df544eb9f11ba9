import { useEffect } from 'react';
import { useChat, useHost } from '../state/context';
import { EndedScreen } from './EndedScreen';
import { RoomScreen } from './RoomScreen';
import { StartScreen } from './StartScreen';
import { useLeaveOnUnload } from './session/useLeaveOnUnload';

export function App() {
  const phase = useChat((s) => s.phase);
  const unread = useChat((s) => s.unread);
  const setFocused = useChat((s) => s.setFocused);
  const receiveJoinLink = useChat((s) => s.receiveJoinLink);
  const host = useHost();
  useLeaveOnUnload();

  // Desktop app: localchat://join links, including the one the app was started with.
  useEffect(() => {
    const links = host.joinLinks;
    if (!links) return;
    const off = links.subscribe(receiveJoinLink);
    // Taken once by main, so applied even if this effect was already cleaned up.
    void links.takePending().then((pending) => {
      const last = pending[pending.length - 1];
      if (last) receiveJoinLink(last);
    });
    return off;
  }, [host, receiveJoinLink]);

  useEffect(() => {
    const update = () => setFocused(document.hasFocus() && document.visibilityState === 'visible');
    update();
    window.addEventListener('focus', update);
    window.addEventListener('blur', update);
    document.addEventListener('visibilitychange', update);
    return () => {
      window.removeEventListener('focus', update);
      window.removeEventListener('blur', update);
      document.removeEventListener('visibilitychange', update);
    };
  }, [setFocused]);

  // Browsers keep titles in their on-disk history: never a room or user name here.
  useEffect(() => {
    document.title = unread > 0 ? `(${unread}) LocalChat` : 'LocalChat';
  }, [unread]);

  if (phase === 'room') return <RoomScreen />;
  if (phase === 'ended') return <EndedScreen />;
  return <StartScreen />;
}
