/** Anything wrong with an invite, a link or a /join line; the message is meant for the user. */
export class InviteError extends Error {
  override name = 'InviteError';
}
