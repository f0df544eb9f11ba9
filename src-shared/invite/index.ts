export { decodeInvite, encodeInvite, inviteLink } from './codec';
export { InviteError } from './errors';
export {
  fingerprintsEqual,
  isFingerprint,
  normaliseFingerprint,
  shortFingerprint,
} from './fingerprint';
export { reachOf, type Reach } from './reach';
export { inviteSchema, type Invite } from './schema';
export { parseStockJoinLine, stockJoinLine, type StockJoin } from './stockJoinLine';
export {
  inviteWebLink,
  isWebLink,
  MAX_LINK_LENGTH,
  pageServer,
  parseWebLink,
  sameServer,
  type WebInvite,
} from './webLink';
