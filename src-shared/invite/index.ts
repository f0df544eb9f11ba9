export { decodeInvite, encodeInvite, inviteLink } from './codec';
export { InviteError } from './errors';
export { fingerprintsEqual, isFingerprint, normaliseFingerprint } from './fingerprint';
export { inviteSchema, type Invite } from './schema';
export { parseStockJoinLine, stockJoinLine, type StockJoin } from './stockJoinLine';
