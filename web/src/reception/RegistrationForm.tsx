// Registering a patient by hand (or completing what a scanned card gave): the form
// becomes a Patient and goes to `POST /fhir/Patient`. Errors are shown beside their
// fields; the server's refusal (an OperationOutcome) is shown as it says it.
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { Patient } from '../api/fhir';
import { useApi, useSession } from '../app/session';
import { ErrorBox } from '../common/ErrorBox';
import { useT } from '../i18n/i18n';
import type { MessageKey } from '../i18n/vi';
import { facilityDate } from '../lib/dates';
import { buildPatient, validateForm, type FormErrors, type RegistrationForm as Form, type UnitNames } from '../lib/registration';
import { AdminUnitPicker } from './AdminUnitPicker';

interface Props {
  initial: Form;
  /** Why the form opened: manual, or a card no record matched. */
  reason: 'manual' | 'card';
  onCreated: (p: Patient) => void;
  onCancel: () => void;
}

export function RegistrationForm({ initial, reason, onCreated, onCancel }: Props) {
  const t = useT();
  const api = useApi();
  const { session } = useSession();
  const [form, setForm] = useState<Form>(initial);
  const [names, setNames] = useState<UnitNames>({});
  const [errors, setErrors] = useState<FormErrors>({});
  const [serverError, setServerError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);

  useEffect(() => {
    setForm(initial);
    setErrors({});
    setServerError(undefined);
    // the first required field still empty, else the phone number (a card does not carry it)
    const target = !initial.name ? '#reg-name' : !initial.birthDate ? '#reg-birth' : !initial.gender ? 'input[name=gender]' : '#reg-phone';
    formRef.current?.querySelector<HTMLElement>(target)?.focus();
  }, [initial]);

  const set = <K extends keyof Form>(k: K, v: Form[K]) => setForm((f) => ({ ...f, [k]: v }));
  const err = (k: keyof Form): string | undefined => (errors[k] ? t(`form.error.${errors[k]}` as MessageKey) : undefined);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found = validateForm(form, facilityDate());
    setErrors(found);
    if (Object.keys(found).length) {
      const firstBad = Object.keys(found)[0];
      formRef.current?.querySelector<HTMLElement>(`[data-field="${firstBad}"]`)?.focus();
      return;
    }
    setBusy(true);
    setServerError(undefined);
    try {
      const created = await api.createPatient(buildPatient(form, names, session?.facilityOrgId || undefined));
      onCreated(created);
    } catch (e2) {
      setServerError(e2);
    } finally {
      setBusy(false);
    }
  };

  const field = (k: keyof Form, label: string, input: ReactNode, hint?: string) => (
    <div className="field">
      <label htmlFor={`reg-${k}`}>{label}</label>
      {input}
      {hint && !errors[k] && <span className="hint">{hint}</span>}
      {errors[k] && (
        <span className="field-error" id={`reg-${k}-error`}>
          {err(k)}
        </span>
      )}
    </div>
  );
  const text = (k: keyof Form, extra: Record<string, unknown> = {}) => (
    <input
      id={k === 'birthDate' ? 'reg-birth' : `reg-${k}`}
      data-field={k}
      value={form[k]}
      aria-invalid={!!errors[k]}
      aria-describedby={errors[k] ? `reg-${k}-error` : undefined}
      onChange={(e) => set(k, e.target.value as never)}
      autoComplete="off"
      {...extra}
    />
  );

  return (
    <section className="panel register" aria-labelledby="register-title">
      <h2 id="register-title">{t('register.title')}</h2>
      {reason === 'card' && <p className="notice">{t('register.fromCard')}</p>}
      <form ref={formRef} onSubmit={submit} noValidate data-testid="registration-form">
        <div className="grid">
          {field('name', t('form.name'), text('name', { autoCapitalize: 'words' }))}
          <div className="field">
            <label htmlFor="reg-birth">{t('form.birthDate')}</label>
            {text('birthDate', { placeholder: t('form.datePlaceholder'), inputMode: 'numeric' })}
            {errors.birthDate && <span className="field-error" id="reg-birthDate-error">{err('birthDate')}</span>}
          </div>
          <fieldset className="field" data-field="gender" tabIndex={-1} aria-invalid={!!errors.gender}>
            <legend>{t('form.gender')}</legend>
            <div className="radios">
              {(['male', 'female', 'other'] as const).map((g) => (
                <label key={g}>
                  <input type="radio" name="gender" value={g} checked={form.gender === g} onChange={() => set('gender', g)} />
                  {t(`gender.${g}`)}
                </label>
              ))}
            </div>
            {errors.gender && <span className="field-error">{err('gender')}</span>}
          </fieldset>
          {field('cccd', t('id.cccd'), text('cccd', { inputMode: 'numeric', maxLength: 12 }))}
          {field('cmnd', t('id.cmnd'), text('cmnd', { inputMode: 'numeric', maxLength: 9 }))}
          {field('phone', t('form.phone'), text('phone', { inputMode: 'tel', type: 'tel' }))}
          {field('bhyt', t('id.bhyt'), text('bhyt', { maxLength: 15, autoCapitalize: 'characters' }), t('form.bhytHint'))}
          {field('bhytFrom', t('form.bhytFrom'), text('bhytFrom', { placeholder: t('form.datePlaceholder'), inputMode: 'numeric' }))}
          {field('bhytTo', t('form.bhytTo'), text('bhytTo', { placeholder: t('form.datePlaceholder'), inputMode: 'numeric' }))}
        </div>
        <fieldset className="address">
          <legend>{t('form.address')}</legend>
          <AdminUnitPicker
            province={form.provinceCode}
            district={form.districtCode}
            commune={form.communeCode}
            errors={{ province: err('provinceCode') }}
            onChange={(codes, n) => {
              setForm((f) => ({ ...f, provinceCode: codes.province, districtCode: codes.district, communeCode: codes.commune }));
              setNames(n);
            }}
          />
          {field('addressLine', t('form.addressLine'), text('addressLine'), t('form.addressLineHint'))}
        </fieldset>
        <ErrorBox error={serverError} testId="register-error" />
        <div className="actions">
          <button type="submit" className="primary" disabled={busy} data-testid="register-submit">
            {busy ? t('register.busy') : t('register.submit')}
          </button>
          <button type="button" className="secondary" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </section>
  );
}
