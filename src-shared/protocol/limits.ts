/**
 * Input limits the server enforces with a 400. Generous for real chats, small enough that one
 * participant cannot exhaust a laptop's memory.
 */
export const LIMITS = {
  roomNameLength: 64,
  userNameLength: 32,
  passwordLength: 128,
  sessionKeyLength: 128,
  /** base64 characters of one encrypted message (about 48 KiB of ciphertext). */
  messageLength: 65_536,
  requestBodyBytes: 128 * 1024,
  roomsPerServer: 500,
  membersPerRoom: 200,
  messagesPerRoom: 5_000,
  /** Longest hold, in seconds, a pollMsg `wait` may ask for. */
  maxPollWaitSeconds: 30,
} as const;

/** SYSTEM speaks for the server; nobody may use the name. */
export const SYSTEM_USER = 'SYSTEM';
