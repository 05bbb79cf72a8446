import type { ErrorRequestHandler } from 'express';

/** An error the client caused, with the HTTP status and a message that says how to fix it. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: Record<string, string[]>,
  ) {
    super(message);
  }
}

interface BodyParserError {
  type?: string;
  status?: number;
}

/** Turns every error into a JSON body with a code and a message; never a stack trace. */
export const errorResponder: ErrorRequestHandler = (err: unknown, _req, res, _next) => {
  const parserError = err as BodyParserError;
  let httpError: HttpError;
  if (err instanceof HttpError) {
    httpError = err;
  } else if (parserError.type === 'entity.too.large') {
    httpError = new HttpError(413, 'body_too_large', 'The request body is over 64 KB; send a smaller note.');
  } else if (parserError.type === 'entity.parse.failed') {
    httpError = new HttpError(400, 'invalid_json', 'The request body is not valid JSON.');
  } else if (typeof parserError.status === 'number' && parserError.status >= 400 && parserError.status < 500) {
    httpError = new HttpError(parserError.status, 'bad_request', 'The request could not be read.');
  } else {
    console.error('internal error:', err);
    httpError = new HttpError(500, 'internal', 'Something went wrong on the server.');
  }
  res.status(httpError.status).json({
    error: { code: httpError.code, message: httpError.message, ...(httpError.fields && { fields: httpError.fields }) },
  });
};
