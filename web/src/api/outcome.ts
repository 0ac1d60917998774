// Turning an error answer into one line a person can read: the diagnostics of an
// OperationOutcome, the description of an OAuth error, or the text of anything else.
import type { OperationOutcome } from './fhir';

export function outcomeMessage(outcome: OperationOutcome): string {
  const parts: string[] = [];
  for (const issue of outcome.issue ?? []) {
    if (issue.severity === 'information') continue;
    const text = issue.diagnostics ?? issue.details?.text ?? issue.details?.coding?.[0]?.display ?? issue.code;
    if (!text) continue;
    const where = issue.expression?.length ? ` (${issue.expression.join(', ')})` : '';
    const line = text + where;
    if (!parts.includes(line)) parts.push(line);
  }
  return parts.join('; ');
}

/** The readable message of an error body, whatever its shape; '' when it says nothing. */
export function errorBodyMessage(body: string, contentType: string): string {
  const trimmed = body.trim();
  if (!trimmed) return '';
  if (contentType.includes('json') || trimmed.startsWith('{')) {
    try {
      const json = JSON.parse(trimmed) as Record<string, unknown>;
      if (json.resourceType === 'OperationOutcome') return outcomeMessage(json as unknown as OperationOutcome);
      if (typeof json.error_description === 'string') return json.error_description;
      if (typeof json.message === 'string') return json.message;
      if (typeof json.error === 'string') return json.error;
    } catch {
      // not JSON after all: fall through to the text
    }
  }
  if (contentType.includes('html') || trimmed.startsWith('<')) return '';
  return trimmed.length > 300 ? trimmed.slice(0, 300) + '…' : trimmed;
}
