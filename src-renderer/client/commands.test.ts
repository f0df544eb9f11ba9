import { describe, expect, it } from 'vitest';
import { parseCommand } from './commands';

const ok = (input: string) => {
  const result = parseCommand(input);
  if (!result.ok) throw new Error(`expected ${input} to parse, got: ${result.error}`);
  return result.command;
};
const error = (input: string) => {
  const result = parseCommand(input);
  if (result.ok) throw new Error(`expected ${input} to fail`);
  return result.error;
};

describe('parseCommand', () => {
  it('sends plain text as say, trimmed', () => {
    expect(ok('  hello there ')).toEqual({ kind: 'say', text: 'hello there' });
  });

  it('sends a doubled slash literally', () => {
    expect(ok('//shrug')).toEqual({ kind: 'say', text: '/shrug' });
  });

  it('parses /me keeping inner spacing', () => {
    expect(ok('/me waves  twice')).toEqual({ kind: 'do', text: 'waves  twice' });
    expect(error('/me')).toBe('Usage: /me TEXT');
  });

  it('parses /msg with the rest of the line as text', () => {
    expect(ok('/msg bob see you at 5')).toEqual({ kind: 'msg', to: 'bob', text: 'see you at 5' });
    expect(error('/msg bob')).toBe('Usage: /msg USER TEXT');
    expect(error('/msg')).toBe('Usage: /msg USER TEXT');
  });

  it('parses the stock /join line', () => {
    expect(ok('/join room1 ROOMPASS123:USERPASS456 carol')).toEqual({
      kind: 'join',
      room: 'room1',
      roomPass: 'ROOMPASS123',
      userPass: 'USERPASS456',
      user: 'carol',
    });
  });

  it('refuses malformed /join lines', () => {
    for (const bad of [
      '/join',
      '/join room1 PASS carol',
      '/join room1 :USER carol',
      '/join room1 ROOM: carol',
      '/join a b:c',
    ]) {
      expect(error(bad)).toBe('Usage: /join ROOM ROOMPASS:USERPASS USER');
    }
  });

  it('keeps a colon inside the user password', () => {
    expect(ok('/join r A:B:C u')).toMatchObject({ roomPass: 'A', userPass: 'B:C' });
  });

  it('parses /leave and /help', () => {
    expect(ok('/leave')).toEqual({ kind: 'leave' });
    expect(error('/leave now')).toBe('Usage: /leave');
    expect(ok('/help')).toEqual({ kind: 'help' });
  });

  it('parses /room create with and without a user', () => {
    expect(ok('/room create plans')).toEqual({ kind: 'create', room: 'plans' });
    expect(ok('/room create plans alice')).toEqual({
      kind: 'create',
      room: 'plans',
      user: 'alice',
    });
    expect(error('/room create')).toBe('Usage: /room create NAME [USER]');
    expect(error('/room create a b c')).toBe('Usage: /room create NAME [USER]');
  });

  it('parses /room invite and /room close', () => {
    expect(ok('/room invite dave')).toEqual({ kind: 'invite', user: 'dave' });
    expect(error('/room invite')).toBe('Usage: /room invite USER');
    expect(ok('/room close')).toEqual({ kind: 'close' });
    expect(error('/room close now')).toBe('Usage: /room close');
    expect(error('/room')).toMatch(/^Usage: \/room create/);
    expect(error('/room destroy')).toMatch(/^Usage: \/room create/);
  });

  it('parses /kick and /ban', () => {
    expect(ok('/kick eve')).toEqual({ kind: 'kick', user: 'eve' });
    expect(ok('/ban eve')).toEqual({ kind: 'ban', user: 'eve' });
    expect(error('/kick')).toBe('Usage: /kick USER');
    expect(error('/ban eve mallory')).toBe('Usage: /ban USER');
  });

  it('accepts commands in any case', () => {
    expect(ok('/ME waves')).toEqual({ kind: 'do', text: 'waves' });
  });

  it('names an unknown command and points to /help', () => {
    expect(error('/dance now')).toBe('Unknown command /dance. Type /help for the list.');
  });

  it('refuses empty input', () => {
    expect(error('   ')).toBe('Nothing to send');
  });
});
