import { reachOf, sameServer, shortFingerprint } from '../../src-shared/invite';
import type { JoinReading } from '../client/inviteInput';
import { useHost } from '../state/context';

/** What a pasted invite is for, shown before anything is sent: room, name, server, certificate. */
export function InviteSummary({ reading }: { reading: JoinReading }) {
  const host = useHost();
  const server = reading.server;
  const fingerprint = server?.fingerprint ? shortFingerprint(server.fingerprint) : undefined;
  const otherServer =
    server && host.ownServer && !sameServer(server.url, host.ownServer) ? server.url : undefined;
  const alteredLink =
    reading.linkPage && server && !sameServer(reading.linkPage, server.url)
      ? reading.linkPage
      : undefined;
  const unreachable = host.kind === 'electron' && server && reachOf(server.url) !== 'network';

  let certificate: string;
  if (!fingerprint) {
    certificate =
      reading.form === 'join-line'
        ? 'Not pinned: a /join line names no certificate. The first one the server shows is trusted.'
        : 'Not pinned by the invite: the first certificate the server shows is trusted.';
  } else if (host.kind === 'electron') {
    certificate = `Pinned by the invite (${fingerprint}…): nothing is sent to a server with another one.`;
  } else {
    certificate = `The invite names ${fingerprint}…; the browser cannot pin it, so compare it with the certificate you accepted for this page.`;
  }

  return (
    <section className="invite-summary" aria-label="What this invite is for">
      <dl>
        <dt>Room</dt>
        <dd>
          <bdi>{reading.room}</bdi>
        </dd>
        <dt>Your name</dt>
        <dd>
          <bdi>{reading.user}</bdi>
        </dd>
        <dt>Server</dt>
        <dd>
          {server ? <code>{server.url}</code> : 'A /join line names none: enter the server address'}
        </dd>
        <dt>Certificate</dt>
        <dd>{certificate}</dd>
      </dl>
      {otherServer && (
        <p className="summary-warning">
          This invite is for another server, <code>{otherServer}</code>. This page can only join
          rooms on its own server, <code>{host.ownServer}</code>: open the invite’s own link, or use
          LocalChat Desktop.
        </p>
      )}
      {alteredLink && (
        <p className="summary-warning">
          This link opens the page of <code>{alteredLink}</code>, but the invite inside it is for{' '}
          <code>{server?.url}</code>: it may have been altered. Ask the person who invited you.
        </p>
      )}
      {unreachable && (
        <p className="summary-warning">
          That address only works on the host’s own computer (or network cable): from anywhere else
          it cannot be reached.
        </p>
      )}
    </section>
  );
}
