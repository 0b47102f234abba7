// Jest setup provided by Grafana scaffolding
import './.config/jest-setup';

// jsdom has no canvas: Grafana's Combobox measures option text with a 2D context to size its
// menu. A fixed-width measure is enough for layout-free tests.
HTMLCanvasElement.prototype.getContext = function getContext() {
  return { font: '', measureText: (text) => ({ width: String(text).length * 8 }) };
};
// jsdom has no IntersectionObserver either (menus use it for scroll shadows only).
if (!window.IntersectionObserver) {
  window.IntersectionObserver = class {
    observe() {}
    unobserve() {}
    disconnect() {}
    takeRecords() {
      return [];
    }
  };
}
