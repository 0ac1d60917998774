// A search-as-you-type box with a listbox of hits (ICD-10 codes, services, drugs): typing
// searches after a short pause (the previous request is aborted), ↓/↑ move, Enter picks,
// Escape clears. ARIA combobox pattern, so a screen reader follows it.
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { ErrorBox } from '../common/ErrorBox';
import { useT } from '../i18n/i18n';

export interface SearchBoxProps<T> {
  label: string;
  placeholder?: string;
  search: (text: string, signal: AbortSignal) => Promise<T[]>;
  render: (item: T) => ReactNode;
  itemKey: (item: T) => string;
  onPick: (item: T) => void;
  minLength?: number;
  testId?: string;
  autoFocus?: boolean;
  inputRef?: React.RefObject<HTMLInputElement | null>;
}

export function SearchBox<T>({ label, placeholder, search, render, itemKey, onPick, minLength = 2, testId, autoFocus, inputRef }: SearchBoxProps<T>) {
  const t = useT();
  const id = useId();
  const [text, setText] = useState('');
  const [hits, setHits] = useState<T[]>([]);
  const [active, setActive] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [open, setOpen] = useState(false);
  const ownRef = useRef<HTMLInputElement | null>(null);
  const ref = inputRef ?? ownRef;

  useEffect(() => {
    const q = text.trim();
    if (q.length < minLength) {
      setHits([]);
      setBusy(false);
      return;
    }
    const ctl = new AbortController();
    const timer = setTimeout(() => {
      setBusy(true);
      search(q, ctl.signal).then(
        (r) => {
          setHits(r);
          setActive(0);
          setError(undefined);
          setOpen(true);
          setBusy(false);
        },
        (e: unknown) => {
          if ((e as Error).name === 'AbortError') return;
          setError(e);
          setBusy(false);
        },
      );
    }, 180);
    return () => {
      clearTimeout(timer);
      ctl.abort();
    };
  }, [text, search, minLength]);

  const pick = (item: T) => {
    onPick(item);
    setText('');
    setHits([]);
    setOpen(false);
    ref.current?.focus();
  };

  const onKey = (e: React.KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown' && hits.length) {
      e.preventDefault();
      setOpen(true);
      setActive((a) => Math.min(hits.length - 1, a + 1));
    } else if (e.key === 'ArrowUp' && hits.length) {
      e.preventDefault();
      setActive((a) => Math.max(0, a - 1));
    } else if (e.key === 'Enter') {
      if (open && hits[active]) {
        e.preventDefault();
        pick(hits[active]!);
      }
    } else if (e.key === 'Escape') {
      if (text || open) {
        e.preventDefault();
        e.stopPropagation();
        setText('');
        setOpen(false);
      }
    }
  };

  const listId = `${id}-list`;
  const showList = open && text.trim().length >= minLength;
  return (
    <div className="searchbox" data-testid={testId}>
      <label htmlFor={`${id}-input`}>{label}</label>
      <input
        id={`${id}-input`}
        ref={ref}
        role="combobox"
        aria-expanded={showList}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={showList && hits[active] ? `${id}-opt-${active}` : undefined}
        value={text}
        placeholder={placeholder}
        autoComplete="off"
        autoFocus={autoFocus}
        onChange={(e) => {
          setText(e.target.value);
          setOpen(true);
        }}
        onKeyDown={onKey}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onFocus={() => hits.length && setOpen(true)}
      />
      {busy && <span className="searchbox-busy muted">{t('clin.common.searching')}</span>}
      <ErrorBox error={error} />
      {showList && (
        <ul className="searchbox-list" role="listbox" id={listId}>
          {hits.length === 0 && !busy ? (
            <li className="muted searchbox-empty" role="option" aria-selected={false} aria-disabled="true">
              {t('clin.common.noMatch')}
            </li>
          ) : (
            hits.map((h, i) => (
              <li
                key={itemKey(h)}
                id={`${id}-opt-${i}`}
                role="option"
                aria-selected={i === active}
                className={i === active ? 'active' : undefined}
                onMouseDown={(e) => {
                  e.preventDefault();
                  pick(h);
                }}
                onMouseEnter={() => setActive(i)}
              >
                {render(h)}
              </li>
            ))
          )}
        </ul>
      )}
    </div>
  );
}
