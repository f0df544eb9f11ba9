import { useState, type FormEvent } from 'react';
import { useChat } from '../state/context';

/**
 * The "their name" field of an invite form: `submit` invites the trimmed name (nothing for a
 * blank one) and resolves true once the invite was asked for; `busy` meanwhile.
 */
export function useInviteName() {
  const inviteUser = useChat((s) => s.inviteUser);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent): Promise<boolean> {
    e.preventDefault();
    if (!name.trim()) return false;
    setBusy(true);
    await inviteUser(name.trim());
    setBusy(false);
    return true;
  }

  return { name, setName, busy, submit };
}
