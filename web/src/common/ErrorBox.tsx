import { ApiError } from '../api/client';
import { useT } from '../i18n/i18n';

/** An error from the server in the user's language, with the server's own words (its OperationOutcome diagnostics). */
export function ErrorBox({ error, testId }: { error: unknown; testId?: string }) {
  const t = useT();
  if (!error) return null;
  let text: string;
  if (error instanceof ApiError) {
    if (error.status === 0) text = t('error.network');
    else if (error.status === 403) text = t('error.forbidden', { message: error.message });
    else if (error.status === 404) text = t('error.notFound', { message: error.message });
    else text = t('error.server', { message: error.message });
  } else {
    // an error the app made itself already speaks the user's language
    text = (error as Error).message ?? String(error);
  }
  return (
    <p className="error" role="alert" data-testid={testId}>
      {text}
    </p>
  );
}
