/** The error body every API failure carries (DESIGN §7). */
export interface ErrorDetail {
  field: string;
  message: string;
}

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details?: ErrorDetail[];
  /** For 409 on a state machine: the record's current state. */
  state?: string;
  [extra: string]: unknown;
}
