import { useEffect } from 'react';
import { useChat } from '../state/context';
import { EndedScreen } from './EndedScreen';
import { RoomScreen } from './RoomScreen';
import { StartScreen } from './StartScreen';

export function App() {
  const phase = useChat((s) => s.phase);
  const unread = useChat((s) => s.unread);
  const room = useChat((s) => s.session?.room);
  const setFocused = useChat((s) => s.setFocused);

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

  useEffect(() => {
    const base = room ? `${room} — LocalChat` : 'LocalChat';
    document.title = unread > 0 ? `(${unread}) ${base}` : base;
  }, [room, unread]);

  if (phase === 'room') return <RoomScreen />;
  if (phase === 'ended') return <EndedScreen />;
  return <StartScreen />;
}
