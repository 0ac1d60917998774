// The queue ticket. On screen it is a card; for printing, a copy is rendered directly under
// <body> and @media print (styles.css) shows only that copy, laid out for a 58 or 80 mm
// thermal roll: nothing else takes room on the page, so one ticket is one page.
import { createPortal } from 'react-dom';
import { useT } from '../i18n/i18n';
import type { PaperWidth, TicketData } from '../lib/ticket';

const TICKET_LENGTH_MM = 90;

function Ticket({ ticket, width, forPrint }: { ticket: TicketData; width: PaperWidth; forPrint: boolean }) {
  const t = useT();
  const id = (name: string) => (forPrint ? undefined : name); // test ids on the screen copy only
  return (
    <div
      className={`ticket ticket-${width}${forPrint ? ' print-only' : ''}`}
      data-testid={forPrint ? 'ticket-print' : 'ticket'}
      role={forPrint ? undefined : 'region'}
      aria-label={forPrint ? undefined : t('ticket.label')}
      aria-hidden={forPrint ? true : undefined}
    >
      <div className="ticket-facility" data-testid={id('ticket-facility')}>{ticket.facility}</div>
      <div className="ticket-department" data-testid={id('ticket-department')}>{ticket.department}</div>
      <div className="ticket-caption">{t('ticket.number')}</div>
      <div className="ticket-number" data-testid={id('ticket-number')}>
        {ticket.number}
      </div>
      <div className="ticket-patient" data-testid={id('ticket-patient')}>{ticket.patientName}</div>
      <div className="ticket-time" data-testid={id('ticket-time')}>
        {ticket.time} · {ticket.date}
      </div>
      <div className="ticket-foot">{t('ticket.foot')}</div>
    </div>
  );
}

export function QueueTicket({ ticket, width }: { ticket: TicketData; width: PaperWidth }) {
  return (
    <>
      <Ticket ticket={ticket} width={width} forPrint={false} />
      {createPortal(
        <>
          {/* the roll's width decides the page size (only an inline <style> can say it per
              print); the length fits the ticket, so the printer feeds one ticket's worth */}
          <style>{`@media print { @page { size: ${width}mm ${TICKET_LENGTH_MM}mm; margin: 0; } }`}</style>
          <Ticket ticket={ticket} width={width} forPrint />
        </>,
        document.body,
      )}
    </>
  );
}
