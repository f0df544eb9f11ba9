/**
 * Who can reach a server address: a loopback address is this computer only, a link-local one
 * (169.254.x.x, fe80::) only a directly attached network that hands out no addresses. An invite
 * naming either cannot work for a friend on another computer.
 */
export type Reach = 'this-computer' | 'link-local' | 'network';

export function reachOf(server: string): Reach {
  if (!URL.canParse(server)) return 'network';
  const host = new URL(server).hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return 'this-computer';
  if (/^127\./.test(host) || host === '0.0.0.0' || host === '::1' || host === '::')
    return 'this-computer';
  if (/^::ffff:(127\.|7f)/.test(host)) return 'this-computer';
  if (/^169\.254\./.test(host) || /^fe[89ab][0-9a-f]:/.test(host)) return 'link-local';
  return 'network';
}
