import { useId, type FormEvent } from 'react';
import { useInviteName } from './useInviteName';

/**
 * While the owner is alone, inviting is one step: a name and "Create invite", which opens the
 * invite with its message already copied.
 */
export function EmptyRoomInvite() {
  const { name, setName, busy, submit } = useInviteName();
  const id = useId();

  async function onSubmit(e: FormEvent) {
    if (await submit(e)) setName('');
  }

  return (
    <form
      className="empty-invite"
      aria-label="Invite the first person"
      onSubmit={(e) => void onSubmit(e)}
    >
      <p>Nobody else is here yet: invite someone.</p>
      <label htmlFor={id}>Their name</label>
      <input id={id} value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" />
      <button type="submit" className="primary" disabled={busy || !name.trim()}>
        {busy ? 'Creating…' : 'Create invite'}
      </button>
    </form>
  );
}
