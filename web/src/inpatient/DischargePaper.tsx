// A discharge paper or record summary (Composition) as it prints: title, date, each
// section's narrative as plain text (the server's XHTML is read, never injected).
import { formatDateTime } from '../lib/dates';
import type { Composition } from '../api/clinical-types';
import { narrativeText } from './notes';

export function DischargePaper({ composition: c }: { composition: Composition }) {
  return (
    <article className="paper print-paper" data-testid="discharge-paper">
      <h2>{c.title ?? c.type?.text ?? c.type?.coding?.[0]?.display}</h2>
      <p className="muted">{formatDateTime(c.date)}</p>
      {(c.section ?? []).map((s, i) => (
        <section key={i}>
          {s.title && <h3>{s.title}</h3>}
          <p className="pre">{narrativeText(s.text?.div)}</p>
        </section>
      ))}
      {!c.section?.length && c.text?.div && <p className="pre">{narrativeText(c.text.div)}</p>}
    </article>
  );
}
