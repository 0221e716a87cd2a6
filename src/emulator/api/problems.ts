/**
 * 8x8's error bodies (REFERENCE.md 3.1). The shape depends on the status and on the operation,
 * so handlers throw an {@link ApiProblem} built by one of these helpers and the error middleware
 * writes it as `application/problem+json`.
 */

/** An API error answer, thrown by handlers and written by the error middleware. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof body.message === 'string' ? body.message : `HTTP ${status}`);
  }
}

/** A random-looking reference id such as 8x8 puts in 401 and some 400 bodies. */
export function referenceId(): string {
  return Math.floor(Math.random() * 2 ** 52).toString(16).padStart(15, '0');
}

/** `GeneralErrorResponse`: 400, 500 and most defaults. */
export function generalError(status: number, code: string, message: string): ApiProblem {
  return new ApiProblem(status, { message, errors: [{ code, message }] });
}

/** `UnauthorizedResponse` (401). */
export function unauthorized(): ApiProblem {
  return new ApiProblem(401, { message: 'Access Denied', errors: [{ message: 'Access Denied', code: 'access_denied' }], referenceId: referenceId() });
}

/** `ForbiddenRequestResponse` (403): `errors` is an array of strings. */
export function forbidden(customerId: string): ApiProblem {
  return new ApiProblem(403, {
    message: 'The tenant does not belong to customer.',
    errors: [`Header X-8x8-Tenant doesn't match tenant information for customerId=${customerId}`],
  });
}

/** `ResourceNotFoundResponse` (404): `errors` is an array of strings. */
export function notFound(resourceType: string, id: string): ApiProblem {
  const message = `Resource of type ${resourceType} with id ${id} was not found.`;
  return new ApiProblem(404, { message, errors: [message] });
}

/** `ResourceNotFoundExceptionResponse` (404 of typing, thinking, read-receipt, post-agent-assignment). */
export function notFoundException(resourceType: string, id: string): ApiProblem {
  return new ApiProblem(404, {
    message: 'Resource not found',
    errors: [{ code: 'resource_not_found', message: `Entity of type ${resourceType} with id ${id} was not found.` }],
  });
}

/** `InvalidParameterExceptionResponse` (400 of typing, thinking, read-receipt, post-agent-assignment). */
export function invalidParameter(conversationId: string, tenantId: string, detail: string): ApiProblem {
  return new ApiProblem(400, {
    message: `Invalid parameter exception for conversation ${conversationId} and tenant ${tenantId}.`,
    errors: [{ code: 'invalid_parameter', message: detail }],
    referenceId: referenceId(),
  });
}

/** `BadRequestResponse` (400 of send message): `errors` is a single object. */
export function badMessage(message: string, code = 'invalid_json_object'): ApiProblem {
  return new ApiProblem(400, { message, errors: { code, message }, referenceId: referenceId() });
}

/** The body for an injected fault of `status`, in the shape 8x8 uses for that status. */
export function faultProblem(status: number, customerId: string, headers?: Record<string, string>): ApiProblem {
  const base =
    status === 401 ? unauthorized() : status === 403 ? forbidden(customerId) : status === 404 ? notFound('Resource', 'injected') : generalError(status, 'injected_fault', `Injected fault: HTTP ${status}.`);
  return new ApiProblem(status, base.body, headers);
}
