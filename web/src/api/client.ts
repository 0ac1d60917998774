// The one place that talks HTTP to the server. Same-origin requests carry the httpOnly
// session cookie by themselves; unsafe methods add the session's CSRF token in
// X-CSRF-Token (see docs/implementation/auth.md). Error answers become ApiError with the
// server's own words (OperationOutcome diagnostics), the status and Retry-After.
import type { OperationOutcome } from './fhir';
import { errorBodyMessage } from './outcome';

export class ApiError extends Error {
  readonly status: number;
  readonly outcome: OperationOutcome | undefined;
  /** Seconds from a Retry-After header (429, 503), when given. */
  readonly retryAfter: number | undefined;

  constructor(status: number, message: string, outcome?: OperationOutcome, retryAfter?: number) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.outcome = outcome;
    this.retryAfter = retryAfter;
  }
}

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface ClientOptions {
  fetch?: FetchLike;
  /** The CSRF token of the current session, if any. */
  csrfToken?: () => string | undefined;
  /** Called when an authenticated request gets 401: the session ended. */
  onUnauthorized?: () => void;
}

export interface RequestOptions {
  body?: unknown;
  contentType?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Do not report a 401 as the end of the session (sign-in itself). */
  anonymous?: boolean;
}

const FHIR_JSON = 'application/fhir+json';

export class ApiClient {
  private readonly options: ClientOptions;

  constructor(options: ClientOptions = {}) {
    this.options = options;
  }

  async request<T>(method: string, url: string, options: RequestOptions = {}): Promise<T> {
    const headers: Record<string, string> = { Accept: `${FHIR_JSON}, application/json;q=0.9`, ...options.headers };
    let body: string | undefined;
    if (options.body !== undefined) {
      headers['Content-Type'] = options.contentType ?? FHIR_JSON;
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    }
    if (method !== 'GET' && method !== 'HEAD') {
      const csrf = this.options.csrfToken?.();
      if (csrf) headers['X-CSRF-Token'] = csrf;
    }
    const doFetch = this.options.fetch ?? ((input: string, init?: RequestInit) => fetch(input, init));
    let response: Response;
    try {
      response = await doFetch(url, { method, headers, body, credentials: 'same-origin', signal: options.signal });
    } catch (e) {
      if ((e as Error).name === 'AbortError') throw e;
      throw new ApiError(0, (e as Error).message || 'network error');
    }
    const text = await response.text();
    if (!response.ok) {
      if (response.status === 401 && !options.anonymous) this.options.onUnauthorized?.();
      throw errorFromResponse(response.status, text, response.headers);
    }
    if (!text) return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ApiError(response.status, 'the server sent a malformed JSON answer');
    }
  }

  get<T>(url: string, options?: RequestOptions): Promise<T> {
    return this.request<T>('GET', url, options);
  }

  post<T>(url: string, body: unknown, options?: RequestOptions): Promise<T> {
    return this.request<T>('POST', url, { ...options, body });
  }
}

export function errorFromResponse(status: number, body: string, headers: Headers): ApiError {
  const contentType = headers.get('content-type') ?? '';
  let outcome: OperationOutcome | undefined;
  if (contentType.includes('json')) {
    try {
      const json = JSON.parse(body) as OperationOutcome;
      if (json.resourceType === 'OperationOutcome') outcome = json;
    } catch {
      // leave outcome undefined
    }
  }
  const retry = headers.get('retry-after');
  const retryAfter = retry !== null && /^\d+$/.test(retry.trim()) ? Number(retry.trim()) : undefined;
  const message = errorBodyMessage(body, contentType) || `HTTP ${status}`;
  return new ApiError(status, message, outcome, retryAfter);
}
