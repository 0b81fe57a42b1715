import { DomainError, type ErrorBody } from '@coinops/contracts';
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { QueryFailedError } from 'typeorm';

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Maps every error to the body of DESIGN §7. */
export function errorBody(error: unknown): ErrorBody {
  if (error instanceof DomainError) {
    return { ...error.extra, statusCode: error.statusCode, error: REASONS[error.statusCode] ?? 'Error', message: error.message, ...(error.details ? { details: error.details } : {}) };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const response = error.getResponse();
    const message = typeof response === 'string' ? response : String((response as { message?: unknown }).message ?? error.message);
    return { statusCode: status, error: REASONS[status] ?? 'Error', message: Array.isArray((response as { message?: unknown }).message) ? ((response as { message: string[] }).message.join('; ')) : message };
  }
  const parserError = error as { type?: string; status?: number; message?: string };
  if (typeof parserError?.status === 'number' && parserError.status >= 400 && parserError.status < 500 && parserError.type) {
    // body-parser: malformed JSON, too large, wrong charset.
    const message = parserError.type === 'entity.parse.failed' ? 'the body is not valid JSON' : parserError.type === 'entity.too.large' ? 'the body is larger than the limit' : parserError.message ?? 'bad body';
    return { statusCode: parserError.status, error: REASONS[parserError.status] ?? 'Bad Request', message, details: [{ field: 'body', message }] };
  }
  if (error instanceof QueryFailedError) {
    const code = (error as QueryFailedError & { code?: string }).code ?? '';
    // Class 22 is a data exception (a value PostgreSQL cannot take): input validation should have
    // caught it first, but it is still the client's value, never a server fault.
    if (code.startsWith('22')) return { statusCode: 400, error: 'Bad Request', message: 'a value is out of range or malformed' };
  }
  return { statusCode: 500, error: REASONS[500], message: 'internal error' };
}

@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const body = errorBody(error);
    if (body.statusCode >= HttpStatus.INTERNAL_SERVER_ERROR) this.logger.error(error instanceof Error ? error.stack : String(error));
    if (response.headersSent) return;
    response.status(body.statusCode).json(body);
  }
}
