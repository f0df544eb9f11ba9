import type { CaptureProtection } from '../../../src-shared/ipc/contract';
import { useChat } from '../../state/context';
import type { Confirmation } from '../ConfirmDialog';
import './Wipe.css';

/** The room menu's wipe actions: clear my screen, leave and wipe, and (owner) burn the room. */
export function WipeMenuItems({ pick }: { pick(c: Confirmation): void }) {
  const session = useChat((s) => s.session);
  const clearScreen = useChat((s) => s.clearScreen);
  const leaveAndWipe = useChat((s) => s.leaveAndWipe);
  const burnRoom = useChat((s) => s.burnRoom);
  if (!session) return null;
  return (
    <>
      <CaptureItem />
      <button
        type="button"
        onClick={() =>
          pick({
            title: 'Clear your screen?',
            text: 'Everything shown so far is removed from this window and forgotten. You stay in the room and new messages appear as usual. Others are not told. Key: Ctrl+Shift+X.',
            action: 'Clear screen',
            danger: false,
            option: 'Also clear my draft',
            run: (draft) => clearScreen({ draft }),
          })
        }
      >
        Clear my screen…
      </button>
      <button type="button" onClick={() => void leaveAndWipe()}>
        Leave and wipe <kbd>Ctrl+Shift+L</kbd>
      </button>
      {session.owner && (
        <button
          type="button"
          className="danger-text"
          onClick={() =>
            pick({
              title: `Burn ${session.room}?`,
              text: 'The room ends now for everyone. Every LocalChat window in it, in the app or a browser, erases its messages, keys and notifications and text copied from the room, and confirms; you get a report of who did. Members on the terminal client cannot be wiped: they only see that the room closed. Then the room is deleted from the server. This cannot be undone.',
              action: 'Burn room',
              run: () => void burnRoom(),
            })
          }
        >
          Burn room…
        </button>
      )}
    </>
  );
}

const CAPTURE_LABELS: Record<CaptureProtection['state'], string> = {
  on: 'on',
  off: 'off',
  unavailable: 'not available on this system',
};

/** Desktop app: whether screenshots and screen sharing can see the window, and the switch. */
function CaptureItem() {
  const capture = useChat((s) => s.capture);
  const setCaptureProtection = useChat((s) => s.setCaptureProtection);
  if (!capture) return null;
  const label = `Screen capture protection: ${CAPTURE_LABELS[capture.state]}`;
  if (capture.state === 'unavailable') return <p className="menu-note">{label}</p>;
  const reason =
    capture.state === 'off' && capture.reason === 'assistive-technology'
      ? ' (assistive technology in use)'
      : '';
  return (
    <button
      type="button"
      aria-pressed={capture.state === 'on'}
      onClick={() => void setCaptureProtection(capture.state !== 'on')}
    >
      {label}
      {reason}
    </button>
  );
}
