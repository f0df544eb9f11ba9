import net from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { api } from '../server/testing/raw-client';
import type { RunningServer } from './hosting';
import {
  forkNodeServerProcess,
  serverInProcessOf,
  type FromServer,
  type ServerProcess,
} from './server-process';

/** The room server in a forked process, as the app runs it in a utilityProcess. */

const servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function spawner() {
  const spawned: ServerProcess[] = [];
  const restarts: { restarted: boolean; reason: string }[] = [];
  const startServer = serverInProcessOf({
    spawn: (entry) => {
      const child = forkNodeServerProcess(entry);
      spawned.push(child);
      return child;
    },
    onRestart: (event) => restarts.push(event),
  });
  const start = async (port = 0) => {
    const logs: string[] = [];
    const server = await startServer({ host: '127.0.0.1', port, log: (l) => logs.push(l) });
    servers.push(server);
    return { server, logs };
  };
  return { start, spawned, restarts };
}

const url = (server: RunningServer) => `https://127.0.0.1:${server.port}`;

async function portIsFree(port: number): Promise<boolean> {
  const probe = net.createServer();
  return new Promise((resolve) => {
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20));
}

describe('the room server in its own process', () => {
  it('serves the API from a child process, and ends on close', async () => {
    const { start, spawned } = spawner();
    const { server } = await start();
    expect(spawned).toHaveLength(1);
    expect(server.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    const created = await api(url(server), 'createRoom', {
      roomName: 'kitchen',
      owner: 'ana',
      pass: 'PASSWORD12345678',
    });
    expect(created.status).toBe(200);
    await server.close();
    expect(await portIsFree(server.port)).toBe(true);
  });

  it('reports a listen error with its code, for Hosting to explain', async () => {
    const { start } = spawner();
    const { server } = await start();
    await expect(start(server.port)).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });

  it('starts a server that died again, on the same port and certificate, without its rooms', async () => {
    const { start, spawned, restarts } = spawner();
    const { server, logs } = await start();
    const { port, fingerprint } = server;
    const room = { roomName: 'kitchen', owner: 'ana', pass: 'PASSWORD12345678' };
    expect((await api(url(server), 'createRoom', room)).status).toBe(200);

    spawned[0]!.kill();
    await until(() => restarts.length > 0);
    expect(restarts).toEqual([
      { restarted: true, reason: expect.stringMatching(/room server process ended/) },
    ]);
    expect(spawned).toHaveLength(2);
    expect(logs).toEqual([expect.stringMatching(/starting it again, without its rooms/)]);
    expect(server.port).toBe(port);
    expect(server.fingerprint).toBe(fingerprint);
    // The rooms died with the process: the name is free again.
    expect((await api(url(server), 'createRoom', room)).status).toBe(200);
  });

  it('kills a server process that does not close in time, so quitting never hangs', async () => {
    let killed = false;
    const listeners: ((m: FromServer) => void)[] = [];
    const exits: ((code: number | null) => void)[] = [];
    // Answers the start, then ignores the close.
    const stuck: ServerProcess = {
      send: (message) => {
        if (message.type === 'start')
          queueMicrotask(() =>
            listeners.forEach((l) => l({ type: 'ready', port: 1, fingerprint: 'AB' })),
          );
      },
      onMessage: (listener) => listeners.push(listener),
      onExit: (listener) => exits.push(listener),
      kill: () => {
        killed = true;
        exits.forEach((exit) => exit(null));
      },
    };
    const startServer = serverInProcessOf({ spawn: () => stuck, entry: 'unused' });
    const server = await startServer({ host: '127.0.0.1', port: 0, tls: { key: 'k', cert: 'c' } });
    vi.useFakeTimers();
    try {
      const closed = server.close();
      expect(killed).toBe(false);
      vi.advanceTimersByTime(5_000);
      await closed;
      expect(killed).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });
});
