/** Base64 as the stock client's Python `encode('base64')` writes it: 76-character lines, trailing newline. */
export function toWrappedBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  const flat = btoa(binary);
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
