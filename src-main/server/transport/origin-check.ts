import type { IncomingHttpHeaders } from 'node:http';

/**
 * Refuses API calls a web page on another site could make a visitor's browser send. Such a page
 * can POST blindly without a preflight only with a CORS "simple" request: no Content-Type, or
 * text/plain, form-urlencoded or multipart. Every real client (the stock client's urllib2, the
 * app's main process, the served page's fetch) sends `application/json`, which a browser sends
 * cross-site only after a preflight this server never grants. A browser also names the page
 * that makes the call in `Origin`: the served page's own calls carry the server's origin, the
 * stock client and the app's main process send none.
 *
 * Returns the status to refuse with, or undefined to let the call through.
 */
export function crossSiteRefusal(headers: IncomingHttpHeaders): 403 | 415 | undefined {
  if (headers.origin !== undefined && !isOwnOrigin(headers.origin, headers.host)) return 403;
  if (!isJson(headers['content-type'])) return 415;
  return undefined;
}

/**
 * The page's own calls go to the host it was loaded from, so its Origin is `https://` + the
 * Host header. A DNS-rebinding page would pass this, but the browser refuses the server's
 * certificate for the rebinding name without offering a way past, so its calls never arrive.
 */
function isOwnOrigin(origin: string, host: string | undefined): boolean {
  return host !== undefined && origin.toLowerCase() === `https://${host.toLowerCase()}`;
}

/** `application/json`, with any parameters (`; charset=utf-8`): the media type alone counts. */
function isJson(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  return contentType.split(';', 1)[0]!.trim().toLowerCase() === 'application/json';
}
