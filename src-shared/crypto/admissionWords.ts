import { certificateOctets, concat, field, hkdfWords, utf8 } from './fields';
import { decodeMemberKey } from './memberKey';

/** Words the owner and a newcomer compare before the owner admits them. */
export const ADMISSION_WORDS = 4;

export interface AdmissionWordsInput {
  roomPassphrase: string;
  /** The server certificate's SHA-256, 'AB:CD:…'; '' when the client has none. */
  certificate: string;
  /** The newcomer's member key. */
  newcomerKey: string;
}

/**
 * HKDF-SHA-256 over tag 1 = the room passphrase, 2 = the certificate's 32 octets, 3 = the
 * newcomer's raw key (tag-length-value, as the safety code), salt "LocalChat admission words",
 * info "v1", 4 octets in PGP words. Equal words: the newcomer holds the room's passphrase, reached
 * the owner's server, and the key the owner sees is the newcomer's own.
 */
export async function admissionWords(input: AdmissionWordsInput): Promise<string[]> {
  const material = concat([
    field(1, utf8(input.roomPassphrase)),
    field(2, certificateOctets(input.certificate)),
    field(3, decodeMemberKey(input.newcomerKey)),
  ]);
  return hkdfWords(material, 'LocalChat admission words', 'v1', ADMISSION_WORDS);
}
