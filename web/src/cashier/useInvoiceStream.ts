// Live invoice status: the server-sent events of `GET /api/invoices/{id}/stream` (event
// `invoice` on every build, payment, refund or bank notification). `onChange` runs on each
// event; the hook answers whether the stream is open. The browser's EventSource reconnects
// by itself after a drop; a reconnect also reloads, so nothing that happened meanwhile is
// missed.
import { useEffect, useRef, useState } from 'react';
import { invoiceStreamUrl } from '../api/billing';

export function useInvoiceStream(invoiceId: string, onChange: () => void): boolean {
  const [open, setOpen] = useState(false);
  const handler = useRef(onChange);
  handler.current = onChange;
  useEffect(() => {
    if (!invoiceId || typeof EventSource !== 'function') return;
    const source = new EventSource(invoiceStreamUrl(invoiceId));
    let seen = false;
    source.onopen = () => {
      setOpen(true);
      if (seen) handler.current(); // a reconnect: catch up
      seen = true;
    };
    source.onerror = () => setOpen(false);
    source.addEventListener('invoice', () => handler.current());
    return () => {
      source.close();
      setOpen(false);
    };
  }, [invoiceId]);
  return open;
}
