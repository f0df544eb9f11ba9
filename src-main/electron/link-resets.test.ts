import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { LinkRouter } from '../links/join-link';
import { resetLinksWhenPageGoes } from './link-resets';

function page() {
  const contents = new EventEmitter();
  const delivered: string[] = [];
  const links = new LinkRouter((link) => delivered.push(link));
  resetLinksWhenPageGoes(contents, links);
  return { contents, links, delivered };
}

describe('the link router across page loads', () => {
  it('keeps delivering after a navigation that started and was refused', () => {
    const { contents, links, delivered } = page();
    expect(links.takePending()).toEqual([]);
    // Chromium fires did-start-loading before will-navigate cancels; the page stays.
    contents.emit('did-start-loading');
    contents.emit('did-stop-loading');
    links.route('localchat://join/after-refusal');
    expect(delivered).toEqual(['localchat://join/after-refusal']);
  });

  it('queues again once a load commits or the renderer dies, until the new page asks', () => {
    for (const event of ['did-navigate', 'render-process-gone']) {
      const { contents, links, delivered } = page();
      links.takePending();
      contents.emit(event);
      links.route('localchat://join/while-gone');
      expect(delivered).toEqual([]);
      expect(links.takePending()).toEqual(['localchat://join/while-gone']);
    }
  });
});
