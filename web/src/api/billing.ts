// The typed API of the cashier screen (docs/implementation/billing.md is the contract): the
// patient's invoices, $invoice (build or refresh: the settlement at discharge), $vietqr,
// $pay (payments and deposits), $refund, $receipt (printable HTML), the payments received
// (PaymentNotice), the live invoice stream and the end-of-day $day-report.
import { ApiClient, errorFromResponse } from './client';
import type { Bundle, Extension, Reference, Resource } from './fhir';
import { all, first, parameters, valueText } from './parameters';
import type { Parameters, ParametersParameter } from './fhir';

export interface Money {
  value?: number;
  currency?: string;
}

interface PriceComponent {
  type?: string;
  code?: { coding?: { system?: string; code?: string }[] };
  amount?: Money;
}

export interface Invoice extends Resource {
  resourceType: 'Invoice';
  status?: string;
  identifier?: { system?: string; value?: string }[];
  subject?: Reference;
  date?: string;
  extension?: (Extension & { valueMoney?: Money; valueReference?: Reference })[];
  lineItem?: { sequence?: number; chargeItemReference?: Reference; priceComponent?: PriceComponent[] }[];
  totalPriceComponent?: PriceComponent[];
  totalGross?: Money;
  totalNet?: Money;
  cancelledReason?: string;
  note?: { authorString?: string; time?: string; text?: string }[];
}

/** A transfer's record (one per movement of money); its `detail` keeps the assignments. */
export interface PaymentReconciliation extends Resource {
  resourceType: 'PaymentReconciliation';
  detail?: { extension?: { url?: string; extension?: (Extension & { valueReference?: Reference; valueString?: string; valueDateTime?: string })[] }[] }[];
}

/** One assignment of a transfer by hand (PaymentReconciliation/$assign), as recorded. */
export interface AssignmentView {
  /** The invoice it was taken from; '' when it arrived unmatched. */
  from: string;
  fromReference: string;
  to: string;
  toReference: string;
  by: string;
  reason: string;
  at: string;
}

/** The assignments recorded in a reconciliation's `detail`, oldest first. */
export function readAssignments(rec: PaymentReconciliation): AssignmentView[] {
  const out: AssignmentView[] = [];
  for (const d of rec.detail ?? []) {
    for (const e of d.extension ?? []) {
      if (!endsWith(e.url, 'extension/payment-assignment')) continue;
      const part = (url: string) => (e.extension ?? []).find((p) => p.url === url);
      const ref = (url: string) => part(url)?.valueReference;
      out.push({
        from: (ref('from')?.reference ?? '').replace(/^Invoice\//, ''),
        fromReference: ref('from')?.display ?? '',
        to: (ref('to')?.reference ?? '').replace(/^Invoice\//, ''),
        toReference: ref('to')?.display ?? '',
        by: part('by')?.valueString ?? '',
        reason: part('reason')?.valueString ?? '',
        at: part('at')?.valueDateTime ?? '',
      });
    }
  }
  return out;
}

/** A payment received on an invoice, with how it came to be there. */
export interface PaymentRow {
  notice: PaymentNotice;
  reconciliation: string;
  history: AssignmentView[];
}

export interface PaymentNotice extends Resource {
  resourceType: 'PaymentNotice';
  identifier?: { system?: string; value?: string }[];
  created?: string;
  amount?: Money;
  payment?: Reference;
  paymentStatus?: { coding?: { code?: string }[] };
}

export interface InvoiceLineView {
  code: string;
  display: string;
  gross: number;
  insurance: number;
  patient: number;
}

export interface InvoiceView {
  id: string;
  status: string;
  reference: string;
  /** The first (or only) encounter billed on it. */
  encounterId: string;
  /** Every encounter billed on it: one, or the day's visits of a day's invoice. */
  encounterIds: string[];
  /** A day's invoice (payments.invoice_per = day): its date, YYYY-MM-DD; '' per encounter. */
  day: string;
  patientId: string;
  date: string;
  coverage: string;
  lines: InvoiceLineView[];
  gross: number;
  insurance: number;
  /** The patient's share, exact (may hold a fraction of a đồng). */
  patient: number;
  /** The share collected: to the whole đồng. */
  due: number;
  paid: number;
  /** due - paid; negative: a credit owed back to the patient; 0 once cancelled. */
  balance: number;
  /** Invoice/$cancel: why, who and when ('' while in force). */
  cancelledReason: string;
  cancelledBy: string;
  cancelledAt: string;
}

const endsWith = (s: string | undefined, tail: string) => !!s && s.endsWith(tail);

function component(list: PriceComponent[] | undefined, code: string): number {
  const c = (list ?? []).find((p) => p.code?.coding?.some((k) => k.code === code));
  return c?.amount?.value ?? 0;
}

/** Half away from zero, as the server rounds. */
export function roundDong(v: number): number {
  return Math.sign(v) * Math.round(Math.abs(v));
}

export function readInvoice(inv: Invoice): InvoiceView {
  const ident = (tail: string) => inv.identifier?.find((i) => endsWith(i.system, tail))?.value ?? '';
  const encounterIds = (inv.identifier ?? []).filter((i) => endsWith(i.system, 'invoice-encounter')).map((i) => i.value ?? '');
  const dayId = ident('invoice-day');
  const paidExt = inv.extension?.find((e) => endsWith(e.url, 'billing-paid'));
  const coverage = inv.extension?.find((e) => endsWith(e.url, 'billing-coverage'))?.valueReference?.display ?? '';
  const lines = (inv.lineItem ?? []).map((li) => {
    const text = li.chargeItemReference?.display ?? '';
    const space = text.indexOf(' ');
    return {
      code: space > 0 ? text.slice(0, space) : text,
      display: space > 0 ? text.slice(space + 1) : '',
      gross: component(li.priceComponent, 'gross'),
      insurance: component(li.priceComponent, 'insurance'),
      patient: component(li.priceComponent, 'patient'),
    };
  });
  const gross = inv.totalGross?.value ?? 0;
  const patient = inv.totalNet?.value ?? 0;
  const paid = paidExt?.valueMoney?.value ?? 0;
  const due = roundDong(patient);
  const cancelled = inv.status === 'cancelled';
  const cancelNote = cancelled ? inv.note?.[inv.note.length - 1] : undefined;
  return {
    id: inv.id ?? '',
    status: inv.status ?? '',
    reference: ident('invoice-reference'),
    encounterId: encounterIds[0] ?? '',
    encounterIds,
    day: dayId ? dayId.slice(dayId.lastIndexOf('/') + 1) : '',
    patientId: (inv.subject?.reference ?? '').replace(/^Patient\//, ''),
    date: inv.date ?? '',
    coverage,
    lines,
    gross,
    insurance: component(inv.totalPriceComponent, 'insurance'),
    patient,
    due,
    paid,
    balance: cancelled ? 0 : due - paid,
    cancelledReason: cancelled ? (inv.cancelledReason ?? '') : '',
    cancelledBy: cancelNote?.authorString ?? '',
    cancelledAt: cancelNote?.time ?? '',
  };
}

export interface VietQr {
  payload: string;
  svg: string;
  amount: number;
  reference: string;
}

export function readVietQr(p: Parameters): VietQr {
  const amount = first(p, 'amount')?.valueDecimal;
  return {
    payload: valueText(first(p, 'payload')),
    svg: valueText(first(p, 'svg')),
    amount: typeof amount === 'number' ? amount : Number(valueText(first(p, 'amount')) || 0),
    reference: valueText(first(p, 'reference')),
  };
}

export type PaymentMethod = 'cash' | 'pos-card' | 'mobile-money' | 'vietqr';
export const METHODS: PaymentMethod[] = ['cash', 'pos-card', 'mobile-money', 'vietqr'];

export interface PaymentResult {
  outcome: string;
  status: string;
  balance: number;
  duplicate: boolean;
}

function num(p: ParametersParameter | undefined): number {
  if (!p) return 0;
  if (typeof p.valueDecimal === 'number') return p.valueDecimal;
  if (typeof p.valueInteger === 'number') return p.valueInteger;
  const n = Number(valueText(p));
  return Number.isFinite(n) ? n : 0;
}

export interface MethodSum {
  code: string;
  expected: number;
  received: number;
  counted: boolean;
  difference: number;
  applied: number;
  unapplied: number;
}

export interface DayItem {
  reconciliation: string;
  outcome: string;
  method: string;
  amount: number;
  unapplied: number;
  invoice: string;
  disposition: string;
}

/** The bank statement checked line by line against the notified transfers. */
export interface StatementResult {
  total: number;
  matched: number;
  notRecorded: string[];
  notOnStatement: string[];
  amountDiffers: string[];
}

export interface DayReport {
  date: string;
  balanced: boolean;
  methods: MethodSum[];
  items: DayItem[];
  statement: StatementResult | undefined;
}

export function readDayReport(p: Parameters): DayReport {
  const part = (q: ParametersParameter, n: string) => first(q.part ?? [], n);
  const st = first(p, 'statement');
  const texts = (n: string) => all(st?.part ?? [], n).map(valueText);
  return {
    statement: st
      ? { total: num(part(st, 'total')), matched: num(part(st, 'matched')), notRecorded: texts('not-recorded'), notOnStatement: texts('not-on-statement'), amountDiffers: texts('amount-differs') }
      : undefined,
    date: valueText(first(p, 'date')),
    balanced: first(p, 'balanced')?.valueBoolean === true,
    methods: all(p, 'method').map((m) => ({
      code: valueText(part(m, 'code')),
      expected: num(part(m, 'expected')),
      received: num(part(m, 'received')),
      counted: part(m, 'counted')?.valueBoolean === true,
      difference: num(part(m, 'difference')),
      applied: num(part(m, 'applied')),
      unapplied: num(part(m, 'unapplied')),
    })),
    items: all(p, 'item').map((m) => ({
      reconciliation: valueText(part(m, 'reconciliation')).replace(/^PaymentReconciliation\//, ''),
      outcome: valueText(part(m, 'outcome')),
      method: valueText(part(m, 'method')),
      amount: num(part(m, 'amount')),
      unapplied: num(part(m, 'unapplied')),
      invoice: valueText(part(m, 'invoice')).replace(/^Invoice\//, ''),
      disposition: valueText(part(m, 'disposition')),
    })),
  };
}

/** The server-sent events of one invoice (event `invoice`). */
export function invoiceStreamUrl(invoiceId: string): string {
  return `/api/invoices/${encodeURIComponent(invoiceId)}/stream`;
}

export interface InvoiceEvent {
  invoice: string;
  status: string;
  patient_share: number;
  paid: number;
  balance: number;
}

export function createBillingApi(http: ApiClient) {
  const id = encodeURIComponent;
  const list = <T extends Resource>(b: Bundle, type: T['resourceType']) =>
    (b.entry ?? []).map((e) => e.resource).filter((r): r is T => !!r && r.resourceType === type);
  return {
    async invoicesOf(patientId: string): Promise<InvoiceView[]> {
      const b = await http.get<Bundle>(`/fhir/Invoice?subject=${id(`Patient/${patientId}`)}&_count=50`);
      return list<Invoice>(b, 'Invoice').map(readInvoice);
    },
    async read(invoiceId: string): Promise<InvoiceView> {
      return readInvoice(await http.get<Invoice>(`/fhir/Invoice/${id(invoiceId)}`));
    },
    /**
     * Builds the encounter's invoice, or refreshes the one that bills it with every charge
     * (settlement). `per`: one invoice for this visit, or one for the patient's visits of the
     * day; the facility's setting (payments.invoice_per) when not given.
     */
    async invoiceFor(encounterId: string, per?: InvoicePer): Promise<InvoiceView> {
      const inv = await http.post<Invoice>(`/fhir/Encounter/${id(encounterId)}/$invoice`, parameters(...(per ? [{ name: 'per', valueCode: per }] : [])));
      return readInvoice(inv);
    },
    /** Assigns a work-list transfer (unmatched, or matched to the wrong invoice) to an invoice. */
    async assign(reconciliationId: string, invoiceId: string, reason?: string): Promise<AssignResult> {
      const body = parameters(
        { name: 'invoice', valueReference: { reference: `Invoice/${invoiceId}` } },
        ...(reason ? [{ name: 'reason', valueString: reason }] : []),
      );
      return readAssign(await http.post<Parameters>(`/fhir/PaymentReconciliation/${id(reconciliationId)}/$assign`, body));
    },
    /** Cancels an invoice made in error (only one holding no money); its visits can be billed again. */
    async cancel(invoiceId: string, reason: string): Promise<InvoiceView> {
      return readInvoice(await http.post<Invoice>(`/fhir/Invoice/${id(invoiceId)}/$cancel`, parameters({ name: 'reason', valueString: reason })));
    },
    async vietqr(invoiceId: string): Promise<VietQr> {
      return readVietQr(await http.get<Parameters>(`/fhir/Invoice/${id(invoiceId)}/$vietqr`));
    },
    async pay(
      invoiceId: string,
      p: { amount: number; method: PaymentMethod; deposit?: boolean; transaction?: string },
    ): Promise<PaymentResult> {
      const body = parameters(
        { name: 'amount', valueInteger: p.amount },
        { name: 'method', valueCode: p.method },
        { name: 'kind', valueCode: p.deposit ? 'deposit' : 'payment' },
        ...(p.transaction ? [{ name: 'transaction', valueString: p.transaction }] : []),
      );
      return readPayment(await http.post<Parameters>(`/fhir/Invoice/${id(invoiceId)}/$pay`, body));
    },
    async refund(invoiceId: string, p: { amount: number; method: PaymentMethod; transaction?: string }): Promise<PaymentResult> {
      const body = parameters(
        { name: 'amount', valueInteger: p.amount },
        { name: 'method', valueCode: p.method },
        ...(p.transaction ? [{ name: 'transaction', valueString: p.transaction }] : []),
      );
      return readPayment(await http.post<Parameters>(`/fhir/Invoice/${id(invoiceId)}/$refund`, body));
    },
    async payments(invoiceId: string): Promise<PaymentNotice[]> {
      const b = await http.get<Bundle>(`/fhir/PaymentNotice?request=${id(`Invoice/${invoiceId}`)}&_count=100`);
      return list<PaymentNotice>(b, 'PaymentNotice');
    },
    /** The payments of an invoice, each with its assignments by hand (who, when, from where, why). */
    async paymentRows(invoiceId: string): Promise<PaymentRow[]> {
      const b = await http.get<Bundle>(`/fhir/PaymentNotice?request=${id(`Invoice/${invoiceId}`)}&_count=100`);
      const notices = list<PaymentNotice>(b, 'PaymentNotice');
      const recIds = [...new Set(notices.map((n) => (n.payment?.reference ?? '').replace(/^PaymentReconciliation\//, '')).filter(Boolean))];
      const recs = recIds.length
        ? list<PaymentReconciliation>(await http.get<Bundle>(`/fhir/PaymentReconciliation?_id=${recIds.map(id).join(',')}&_count=${recIds.length}`), 'PaymentReconciliation')
        : [];
      return notices.map((n) => {
        const reconciliation = (n.payment?.reference ?? '').replace(/^PaymentReconciliation\//, '');
        const rec = recs.find((r) => r.id === reconciliation);
        return { notice: n, reconciliation, history: rec ? readAssignments(rec) : [] };
      });
    },
    /** The printable receipt, as the HTML page the server renders. */
    async receiptHtml(invoiceId: string): Promise<string> {
      const r = await fetch(`/fhir/Invoice/${id(invoiceId)}/$receipt`, { credentials: 'same-origin', headers: { Accept: 'text/html' } });
      const text = await r.text();
      if (!r.ok) throw errorFromResponse(r.status, text, r.headers);
      return text;
    },
    /** `statement`: the bank statement CSV of the day, checked transfer by transfer. */
    async dayReport(date: string, received: Partial<Record<PaymentMethod, number>> = {}, statement?: string): Promise<DayReport> {
      const counted = Object.entries(received).filter(([, v]) => typeof v === 'number' && Number.isFinite(v)) as [string, number][];
      if (statement !== undefined) {
        const body = parameters(
          { name: 'date', valueDate: date },
          ...counted.map(([m, v]) => ({ name: `received-${m}`, valueString: String(v) })),
          { name: 'statement', valueString: statement },
        );
        return readDayReport(await http.post<Parameters>('/fhir/PaymentReconciliation/$day-report', body));
      }
      const q = new URLSearchParams({ date });
      for (const [m, v] of counted) q.set(`received-${m}`, String(v));
      return readDayReport(await http.get<Parameters>(`/fhir/PaymentReconciliation/$day-report?${q.toString()}`));
    },
  };
}

export type InvoicePer = 'encounter' | 'day';

export interface AssignResult {
  outcome: string;
  unchanged: boolean;
  applied: number;
  unapplied: number;
  invoice: string;
  status: string;
  balance: number;
}

export function readAssign(p: Parameters): AssignResult {
  return {
    outcome: valueText(first(p, 'outcome')),
    unchanged: first(p, 'unchanged')?.valueBoolean === true,
    applied: num(first(p, 'applied')),
    unapplied: num(first(p, 'unapplied')),
    invoice: (first(p, 'invoice')?.valueReference?.reference ?? '').replace(/^Invoice\//, ''),
    status: valueText(first(p, 'status')),
    balance: num(first(p, 'balance')),
  };
}

function readPayment(p: Parameters): PaymentResult {
  return {
    outcome: valueText(first(p, 'outcome')),
    status: valueText(first(p, 'status')),
    balance: num(first(p, 'balance')),
    duplicate: first(p, 'duplicate')?.valueBoolean === true,
  };
}

export type BillingApi = ReturnType<typeof createBillingApi>;

/** 1234567 -> "1.234.567" (Vietnamese grouping); a fraction keeps up to 2 decimals "97,5". */
export function formatVnd(v: number): string {
  const neg = v < 0;
  const abs = Math.abs(v);
  const whole = Math.trunc(abs);
  const frac = Math.round((abs - whole) * 100);
  const grouped = String(whole).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  const text = frac ? `${grouped},${String(frac).padStart(2, '0').replace(/0$/, '')}` : grouped;
  return neg ? `-${text}` : text;
}
