/*
 * jsdom lays nothing out, and panels measure their box with ResizeObserver (react-use's
 * useMeasure, which picks its implementation when it is first imported): import this module
 * before anything else in a test that renders panels, so each observed element reports a
 * fixed 300 × 140 box.
 */
class SizedResizeObserver {
  constructor(private readonly callback: ResizeObserverCallback) {}
  observe(target: Element) {
    const contentRect = { x: 0, y: 0, top: 0, left: 0, bottom: 140, right: 300, width: 300, height: 140 };
    this.callback([{ target, contentRect } as unknown as ResizeObserverEntry], this as unknown as ResizeObserver);
  }
  unobserve() {}
  disconnect() {}
}

window.ResizeObserver = SizedResizeObserver as unknown as typeof ResizeObserver;

export {};
