/**
 * Input limits the server enforces with a 400. Generous for real chats, small enough that one
 * participant cannot exhaust a laptop's memory.
 */
export const LIMITS = {
  roomNameLength: 64,
  userNameLength: 32,
  passwordLength: 128,
  /** setPassword: as long as the 16 characters of A-Z0-9 clients generate. */
  ownPasswordMinLength: 16,
  sessionKeyLength: 128,
  /** base64 characters of one encrypted message (about 48 KiB of ciphertext). */
  messageLength: 65_536,
  requestBodyBytes: 128 * 1024,
  roomsPerServer: 500,
  membersPerRoom: 200,
  messagesPerRoom: 5_000,
  /**
   * Bytes of stored message text per room; the room's oldest are dropped beyond it, like the
   * count cap. 5,000 messages of 64 KiB would be 320 MiB: the count alone does not bound memory.
   * 8 MiB is still over a hundred maximal messages, or thousands of ordinary ones.
   */
  messageBytesPerRoom: 8 * 1024 * 1024,
  /**
   * Bytes of stored message text in all rooms together. Beyond it a new message is refused
   * (503) rather than evicting other rooms' messages: nobody's data is lost to someone else's
   * flood. Rooms need no invite to create, so without this, rooms x the per-room cap would be
   * the bound (4 GiB).
   */
  messageBytesPerServer: 64 * 1024 * 1024,
  /**
   * Bytes of message text in one pollMsg answer: the oldest rows up to it, always at least one.
   * The client's next mylast is the newest id it got, so the rest comes on the next poll; a poll
   * from 0 no longer builds one answer of the whole room in memory.
   */
  pollAnswerBytes: 1024 * 1024,
  /**
   * Seconds before a joinRoom request whose messages the joiner may still read (polling from 0);
   * anything older stays hidden from it, as the stock server deletes it.
   */
  joinHistorySeconds: 10,
  /** Longest hold, in seconds, a pollMsg `wait` may ask for. */
  maxPollWaitSeconds: 30,
} as const;

/** SYSTEM speaks for the server; nobody may use the name. */
export const SYSTEM_USER = 'SYSTEM';
