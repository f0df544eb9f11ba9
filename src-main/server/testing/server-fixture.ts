import type https from 'node:https';
import { afterAll, beforeAll, expect } from 'vitest';
import { actionResponses, isActionName } from '../../../src-shared/protocol';
import { decryptText } from '../../../src-shared/crypto/message';
import { startServer, type RunningServer, type ServerOptions } from '../index';
import { api, testAgent, type ApiResponse, type RawOptions } from './raw-client';
import type { Member } from './member-fixture';

/** A server on an ephemeral loopback port whose log lines are kept for assertions. */
export async function startTestServer(
  options: ServerOptions = {},
): Promise<{ server: RunningServer; logs: string[] }> {
  const logs: string[] = [];
  const server = await startServer({
    host: '127.0.0.1',
    port: 0,
    log: (line) => logs.push(line),
    ...options,
  });
  return { server, logs };
}

export interface FileServer {
  server: RunningServer;
  /** Keep-alive, accepting the server's self-signed certificate. */
  agent: https.Agent;
  logs: string[];
}

/**
 * One test server and agent for a whole test file: started before its first test, closed after
 * its last. Read the fields inside tests (they are set once the file's beforeAll has run).
 */
export function useTestServer(options: ServerOptions = {}, maxSockets = 4): FileServer {
  const fixture = {} as FileServer;
  beforeAll(async () => {
    Object.assign(fixture, await startTestServer(options));
    fixture.agent = testAgent({ maxSockets });
  });
  afterAll(async () => {
    fixture.agent?.destroy();
    await fixture.server?.close();
  });
  return fixture;
}

/** Calls an action and checks that any 200 answer has the shape actionResponses promises. */
export async function call(
  url: string,
  action: string,
  payload: unknown,
  options: RawOptions & { payloadAsString?: boolean } = {},
): Promise<ApiResponse> {
  const res = await api(url, action, payload, options);
  if (res.status === 200 && isActionName(action)) {
    const parsed = actionResponses[action].safeParse(res.json);
    expect(parsed.success, `${action} answer ${res.body}`).toBe(true);
  }
  return res;
}

/** Decrypts a SYSTEM row the way clients do, with the syskey from joinRoom. */
export async function systemText(
  msg: string,
  syskey: string,
): Promise<{ text: string; verb: string }> {
  return JSON.parse(await decryptText(msg, syskey)) as { text: string; verb: string };
}

/** The SYSTEM texts among rows, in order. */
export async function systemTexts(
  rows: readonly (readonly unknown[])[],
  m: Member,
): Promise<string[]> {
  const out: string[] = [];
  for (const row of rows) {
    if (row[3] === 'SYSTEM') out.push((await systemText(String(row[1]), m.syskey)).text);
  }
  return out;
}
