// Text from a scanner. A keyboard-wedge scanner types the QR text and then Enter (some add
// Tab, CR/LF or control characters); a camera gives the raw text. The server parses the
// card (`$identify`); here we only tidy the edges.

/** Drops control characters (a wedge's prefix/suffix) and surrounding whitespace; keeps the inside. */
export function cleanScanText(raw: string): string {
  return raw.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '').replace(/^[\s]+|[\s]+$/g, '');
}

/** Whether a keydown should go to the scan box when focus is nowhere useful. */
export function isTypingTarget(el: Element | null): boolean {
  if (!el) return false;
  const tag = el.tagName;
  if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT') return true;
  return (el as HTMLElement).isContentEditable === true;
}
