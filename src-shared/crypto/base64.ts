function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/** Base64 as the stock client's Python `encode('base64')` writes it: 76-character lines, trailing newline. */
export function toWrappedBase64(bytes: Uint8Array): string {
  const flat = toBase64(bytes);
  let out = '';
  for (let i = 0; i < flat.length; i += 76) out += flat.slice(i, i + 76) + '\n';
  return out;
}

/** Decodes base64 ignoring any whitespace; throws on other invalid characters. */
export function fromBase64(text: string): Uint8Array {
  const binary = atob(text.replace(/\s+/g, ''));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** URL-safe base64 without padding (RFC 4648 section 5), as invite codes carry it. */
export function toBase64Url(bytes: Uint8Array): string {
  return toBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(text: string): Uint8Array {
  return fromBase64(text.replace(/-/g, '+').replace(/_/g, '/'));
}
