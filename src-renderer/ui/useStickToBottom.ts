import { useCallback, useEffect, useRef, type RefObject } from 'react';

/** Within this many pixels of the bottom, the reader counts as reading at the bottom. */
const NEAR_BOTTOM_PX = 40;

/**
 * Keeps a scrolling pane at its bottom while the reader is there, however late its content's
 * layout settles: a folded message, a long unbroken line, a web font or an image can change
 * heights frames after the lines were added, and on a phone's narrow column they do. A
 * ResizeObserver on the pane and its content scrolls again on every change of either, before it
 * is painted; only the reader scrolling up stops the following.
 */
export function useStickToBottom(
  pane: RefObject<HTMLElement | null>,
  content: RefObject<HTMLElement | null>,
) {
  const pinned = useRef(true);
  /** Where our own last scroll to the bottom left scrollTop. */
  const autoTop = useRef(0);

  const stick = useCallback(() => {
    const el = pane.current;
    if (!el || !pinned.current) return;
    el.scrollTop = el.scrollHeight;
    autoTop.current = el.scrollTop;
  }, [pane]);

  useEffect(() => {
    const el = pane.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(stick);
    observer.observe(el);
    if (content.current) observer.observe(content.current);
    return () => observer.disconnect();
  }, [pane, content, stick]);

  /**
   * A scroll event: the reader's, or ours (or the browser's own after content changed). Only a
   * move up from where we left the pane is the reader leaving the bottom; elsewhere, being near
   * the bottom decides. Returns whether the pane still follows.
   */
  const onScroll = useCallback((el: HTMLElement): boolean => {
    if (pinned.current && el.scrollTop >= autoTop.current - 1) {
      autoTop.current = el.scrollTop;
      return true;
    }
    pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_BOTTOM_PX;
    return pinned.current;
  }, []);

  return { pinned, stick, onScroll };
}
