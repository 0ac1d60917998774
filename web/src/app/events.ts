// Window events the screens use to ask each other for focus (shortcuts, "next patient").
export const SCAN_FOCUS_EVENT = 'hb:focus-scan';
export const SEARCH_FOCUS_EVENT = 'hb:focus-search';

// Characters the scan box has taken so far (ScanBox counts them).
let scanInputs = 0;

export function noteScanInput(): void {
  scanInputs++;
}

export function scanInputsSoFar(): number {
  return scanInputs;
}

/**
 * Asks the scan box for focus. The request carries how many characters the box had taken
 * when focus was asked for (now, unless given): a box that took more since then (a scanner
 * typing right after F2, before a deferred request arrives) keeps them instead of selecting
 * them, which would let the next character replace what was typed.
 */
export function requestScanFocus(inputsSeen: number = scanInputs): void {
  window.dispatchEvent(new CustomEvent<ScanFocusDetail>(SCAN_FOCUS_EVENT, { detail: { inputsSeen } }));
}

export interface ScanFocusDetail {
  inputsSeen: number;
}
