import { z } from 'zod';

/**
 * The burn extension's answer to the owner: who in the room (the owner aside) wiped it, who
 * cannot say (a client that never used an extension: the stock terminal client), and who did
 * not answer within the server's bounded wait.
 */
export const burnReport = z.object({
  status: z.literal('ok'),
  confirmed: z.array(z.string()),
  cannotConfirm: z.array(z.string()),
  didNotAnswer: z.array(z.string()),
});
export type BurnReport = z.infer<typeof burnReport>;

/**
 * The one-time pollMsg notice of a burned room: what a stock client prints, and how a LocalChat
 * client that missed the burn itself (it was reconnecting) still knows to wipe.
 */
export const NOTICE_BURNED =
  'The room has been burned by its owner: please clear your screen of the conversation';
