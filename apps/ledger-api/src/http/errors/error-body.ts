/** The one error shape every route returns. */
export interface ErrorBody {
  code: string;
  message: string;
  details: Record<string, unknown>;
}

/** An HTTP error raised by the edge (parsing headers, queries) with its own code. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}
