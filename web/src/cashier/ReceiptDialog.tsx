// The receipt the server renders ($receipt: HTML with the verification QR), shown in a frame
// and printed from it, so only the receipt goes to the printer.
import { useRef } from 'react';
import { useI18n } from '../i18n/i18n';

export function ReceiptDialog({ html, onClose }: { html: string; onClose: () => void }) {
  const { t } = useI18n();
  const frame = useRef<HTMLIFrameElement>(null);
  const print = () => {
    const w = frame.current?.contentWindow;
    if (!w) return;
    w.focus();
    w.print();
  };
  return (
    <div className="dialog-backdrop" role="dialog" aria-modal="true" aria-label={t('cashier.receipt')}>
      <div className="dialog receipt-dialog">
        <iframe ref={frame} title={t('cashier.receipt')} srcDoc={html} data-testid="receipt-frame" onLoad={print} />
        <div className="actions">
          <button type="button" onClick={print} data-testid="receipt-print">
            {t('cashier.print')}
          </button>
          <button type="button" className="secondary" onClick={onClose}>
            {t('common.close')}
          </button>
        </div>
      </div>
    </div>
  );
}
