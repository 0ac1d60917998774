// The scan box. A keyboard-wedge scanner types the card's QR text and presses Enter: the
// input is uncontrolled (no re-render per character, so 150 characters arrive as fast as
// the scanner types them) and Enter submits. F2 focuses it from anywhere; on the reception
// screen, typing while focus is on nothing editable lands here too, so a scan is never lost.
import { useEffect, useRef, type FormEvent } from 'react';
import { SCAN_FOCUS_EVENT } from '../app/events';
import { useT } from '../i18n/i18n';
import { cleanScanText, isTypingTarget } from '../lib/scan';
import { CameraScan } from './CameraScan';

// Longer than the gap between two characters of one scan, shorter than a person's pause.
const SCAN_PAUSE_MS = 300;

interface Props {
  busy: boolean;
  onScan: (text: string) => void;
}

export function ScanBox({ busy, onScan }: Props) {
  const t = useT();
  const ref = useRef<HTMLInputElement>(null);
  // When the box last took a character: a key that arrives while focus is elsewhere starts a
  // new scan only after a pause; within a scan (a scanner types a character every few ms) the
  // box keeps what it has, so a re-render that takes focus mid-scan loses no character.
  const lastInput = useRef(0);

  useEffect(() => {
    // Focus, and select what is there so that the next scan replaces it. Only ever at once,
    // in answer to a key or an action: a select that came later than a scanner's first
    // characters would let the next one replace them.
    const focus = () => {
      ref.current?.focus();
      ref.current?.select();
    };
    focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'F2') {
        focus(); // before the scanner's first character
        return;
      }
      // A scanner typing while nothing editable has focus: send the keys to the box.
      if (e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey && !isTypingTarget(document.activeElement) && !document.querySelector('dialog[open]')) {
        if (e.key === '?') return; // the shortcuts help
        if (ref.current) {
          if (performance.now() - lastInput.current > SCAN_PAUSE_MS) ref.current.value = '';
          ref.current.focus();
        }
      }
    };
    window.addEventListener(SCAN_FOCUS_EVENT, focus);
    window.addEventListener('keydown', onKey, true);
    return () => {
      window.removeEventListener(SCAN_FOCUS_EVENT, focus);
      window.removeEventListener('keydown', onKey, true);
    };
  }, []);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const text = cleanScanText(ref.current?.value ?? '');
    if (!text || busy) return;
    onScan(text);
    ref.current?.select();
  };

  return (
    <section className="panel scan" aria-labelledby="scan-title">
      <h2 id="scan-title">{t('scan.title')}</h2>
      <form onSubmit={submit} className="scan-form">
        <label htmlFor="scan-input" className="visually-hidden">
          {t('scan.label')}
        </label>
        <input
          id="scan-input"
          ref={ref}
          className="scan-input"
          data-testid="scan-input"
          autoComplete="off"
          autoCorrect="off"
          autoCapitalize="off"
          spellCheck={false}
          placeholder={t('scan.placeholder')}
          aria-describedby="scan-hint"
          enterKeyHint="search"
          onInput={() => {
            lastInput.current = performance.now();
          }}
        />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t('scan.busy') : t('scan.submit')}
        </button>
        <CameraScan onResult={(text) => onScan(cleanScanText(text))} />
      </form>
      <p id="scan-hint" className="hint">
        {t('scan.hint')}
      </p>
    </section>
  );
}
