import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { exitAfterFlush } from './exit-after-flush';

describe('the self-test exits after its report is written', () => {
  it('waits for every earlier write to be handed over before exiting', async () => {
    const handedOver: string[] = [];
    const release: (() => void)[] = [];
    // A pipe that takes its time, as stdout into a pipe does on macOS.
    const slow = new Writable({
      write(chunk: Buffer, _encoding, done) {
        release.push(() => {
          handedOver.push(chunk.toString());
          done();
        });
      },
    });
    const exit = vi.fn(() => handedOver.push('<exit>'));
    slow.write('ok 1 - host\n');
    slow.write('self-test passed\n');
    exitAfterFlush(slow, exit, 0);
    expect(exit).not.toHaveBeenCalled();
    while (release.length > 0 || !exit.mock.calls.length) {
      await new Promise((resolve) => setImmediate(resolve));
      release.shift()?.();
    }
    expect(handedOver.join('')).toBe('ok 1 - host\nself-test passed\n<exit>');
    expect(exit).toHaveBeenCalledWith(0);
  });

  it('passes the exit status through', async () => {
    const exit = vi.fn();
    exitAfterFlush(new PassThrough(), exit, 1);
    await vi.waitFor(() => expect(exit).toHaveBeenCalledWith(1));
  });
});
