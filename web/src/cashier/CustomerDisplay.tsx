// The customer-facing display of one invoice: the VietQR to scan, the amount, and the
// state, live; it says "paid" the moment the bank's notification is matched. Opened from the
// cashier's screen on a second monitor turned to the patient; no names are shown. A cancelled
// invoice says so (never "paid").
import { useCallback, useEffect, useState } from 'react';
import { createBillingApi, formatVnd, type InvoiceView, type VietQr } from '../api/billing';
import { useApi } from '../app/session';
import { ErrorBox } from '../common/ErrorBox';
import { useI18n } from '../i18n/i18n';
import { useInvoiceStream } from './useInvoiceStream';
import './cashier.css';

export default function CustomerDisplay({ invoiceId }: { invoiceId: string }) {
  const { t } = useI18n();
  const api = useApi();
  const [inv, setInv] = useState<InvoiceView | undefined>();
  const [qr, setQr] = useState<VietQr | undefined>();
  const [error, setError] = useState<unknown>();
  const load = useCallback(async () => {
    const billing = createBillingApi(api.http);
    try {
      const i = await billing.read(invoiceId);
      setInv(i);
      setQr(i.balance > 0 ? await billing.vietqr(invoiceId) : undefined);
      setError(undefined);
    } catch (e) {
      setError(e);
    }
  }, [api, invoiceId]);
  useEffect(() => {
    void load();
  }, [load]);
  useInvoiceStream(invoiceId, () => void load());
  return (
    <div className="customer-display" data-testid="customer-display">
      <ErrorBox error={error} />
      {inv?.status === 'cancelled' ? (
        <p className="cancelled-banner" data-testid="customer-cancelled">
          {t('cashier.display.cancelled')}
        </p>
      ) : inv && inv.balance <= 0 ? (
        <p className="paid" data-testid="customer-paid">
          {t('cashier.display.paid')}
        </p>
      ) : (
        qr && (
          <>
            <p>{t('cashier.display.scan')}</p>
            <div className="qr" dangerouslySetInnerHTML={{ __html: qr.svg }} />
            <p className="amount" data-testid="customer-amount">
              {formatVnd(qr.amount)} đ
            </p>
            <p>{qr.reference}</p>
          </>
        )
      )}
    </div>
  );
}
