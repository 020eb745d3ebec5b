/**
 * Moves focus to a page's heading when it appears, so screen readers announce the new page and Tab starts there
 * (`<h1 tabindex="-1" use:focusOnArrival>`).
 */
export function focusOnArrival(node: HTMLElement): void {
  node.focus();
}
