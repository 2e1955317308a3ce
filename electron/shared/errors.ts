/**
 * Error codes that cross the contract boundary. Services throw {@link AppError};
 * transports turn it into `{ ok: false, error: { code, message } }`. Anything else
 * thrown inside the core becomes `INTERNAL` with a generic message, so internals
 * (paths, SQL, stack traces) never leak to a client.
 */
export const ERROR_CODES = [
  'BAD_FRAME', // the frame is not a well-formed request
  'UNKNOWN_METHOD', // no such method in the contract
  'INVALID_INPUT', // the input failed its zod schema
  'FRAME_TOO_LARGE', // the frame exceeds the transport's limit
  'UNAUTHENTICATED', // the method needs a signed-in user
  'FORBIDDEN', // the user's roles do not allow the method
  'ACCESS_NOT_GRANTED', // the case's records need the team's right or an approved grant (R6.1)
  'BAD_CREDENTIALS', // wrong username or password
  'NOT_FOUND',
  'CONFLICT', // a unique value already exists, or state forbids the change
  'RULE_VIOLATION', // a rule of the regulations forbids it (e.g. an interview with one officer)
  'ALREADY_INITIALISED',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorInfo {
  code: ErrorCode;
  message: string;
  /** Field-level problems for INVALID_INPUT, keyed by dotted path. */
  issues?: { path: string; message: string }[];
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly issues?: ErrorInfo['issues'];
  constructor(code: ErrorCode, message: string, issues?: ErrorInfo['issues']) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    if (issues) this.issues = issues;
  }
  toInfo(): ErrorInfo {
    return this.issues
      ? { code: this.code, message: this.message, issues: this.issues }
      : { code: this.code, message: this.message };
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}
