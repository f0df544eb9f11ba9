/** What the composer says before a DM goes out less private than a LocalChat member would expect. */
export interface DmCaution {
  kind: 'room-key' | 'key-changed';
  to: string;
  text: string;
  message: string;
}

export interface DmRoom {
  /** The server hands out member keys and we hold one: private DMs are possible here. */
  privateDms: boolean;
  /** The first listing with keys has arrived (until then nobody's key is known). */
  listed: boolean;
  members: readonly string[];
  /** Fingerprint words of each member with a published key. */
  keyWords: Readonly<Record<string, string>>;
  changedKeys: readonly string[];
}

/** Why a DM to `to` needs a second press, if it does (pure: the store and tests call it). */
export function dmCaution(room: DmRoom, to: string, text: string): DmCaution | undefined {
  if (!room.privateDms || !room.listed || !room.members.includes(to)) return undefined;
  const words = room.keyWords[to];
  if (words === undefined) {
    return {
      kind: 'room-key',
      to,
      text,
      message: `${to} uses the terminal client: this direct message can be read by anyone who holds the room key. Press Send again to send it.`,
    };
  }
  if (room.changedKeys.includes(to)) {
    return {
      kind: 'key-changed',
      to,
      text,
      message: `${to}’s key changed since you last saw it (now “${words}”): they joined again, or someone else has the name. Ask them, then press Send again to send.`,
    };
  }
  return undefined;
}
