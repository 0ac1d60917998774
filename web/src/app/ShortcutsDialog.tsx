// The keyboard shortcuts, shown with F1 or '?' (also documented in web/README.md).
import { useEffect, useRef } from 'react';
import { useT } from '../i18n/i18n';
import type { MessageKey } from '../i18n/vi';

const SHORTCUTS: [string, MessageKey][] = [
  ['F2', 'shortcuts.scan'],
  ['F3', 'shortcuts.search'],
  ['F4', 'shortcuts.register'],
  ['Enter', 'shortcuts.enter'],
  ['F9', 'shortcuts.print'],
  ['Esc', 'shortcuts.escape'],
  ['F1 / ?', 'shortcuts.help'],
  ['F', 'shortcuts.fullscreen'],
];

export function ShortcutsDialog({ onClose }: { onClose: () => void }) {
  const t = useT();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    const previous = document.activeElement as HTMLElement | null;
    return () => previous?.focus?.();
  }, []);
  return (
    <dialog ref={ref} className="dialog" aria-labelledby="shortcuts-title" onClose={onClose} onCancel={onClose}>
      <h2 id="shortcuts-title">{t('shortcuts.title')}</h2>
      <table className="shortcuts">
        <tbody>
          {SHORTCUTS.map(([key, label]) => (
            <tr key={key}>
              <th scope="row">
                <kbd>{key}</kbd>
              </th>
              <td>{t(label)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <form method="dialog">
        <button type="submit" className="primary" autoFocus>
          {t('common.close')}
        </button>
      </form>
    </dialog>
  );
}
