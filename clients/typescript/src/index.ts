// The control plane's TypeScript client: openapi-fetch over the types
// openapi-typescript generates from openapi.json (src/schema.d.ts, never
// edited by hand). Every call is typed by its path and method; an answer
// outside 2xx comes back as `error`, an RFC 9457 problem document.

import createClient, { type Client, type ClientOptions } from "openapi-fetch";
import type { components, paths } from "./schema.js";

export type { components, operations, paths } from "./schema.js";

/** An RFC 9457 problem document, as every error answer carries. */
export type Problem = components["schemas"]["Problem"];

/** The typed client: `client.GET("/v1/projects", { params: { query: { limit: 10 } } })`. */
export type ControlPlaneClient = Client<paths>;

export interface ControlPlaneOptions extends ClientOptions {
  /** The API's origin, e.g. `http://127.0.0.1:3000`. */
  baseUrl: string;
  /** A user's token (JWT) or an API key, sent as `Authorization: Bearer`. */
  token: string;
  /** The org a user's token acts in (`X-Org-Id`); keys carry their own. */
  orgId?: string;
}

export function createControlPlaneClient({ token, orgId, headers, ...options }: ControlPlaneOptions): ControlPlaneClient {
  return createClient<paths>({
    ...options,
    headers: { ...headers, Authorization: `Bearer ${token}`, ...(orgId ? { "X-Org-Id": orgId } : {}) },
  });
}

/** A problem answer raised as an error by {@link unwrap}. */
export class ProblemError extends Error {
  readonly status: number;
  readonly code: string | undefined;
  readonly problem: Problem;
  /** Seconds to wait before retrying (`Retry-After`, on 429 and 503). */
  readonly retryAfter: number | undefined;

  constructor(problem: Problem, response: Response) {
    super(`${response.status} ${problem.code ?? problem.title}: ${problem.detail ?? ""}`);
    this.name = "ProblemError";
    this.status = response.status;
    this.code = problem.code ?? undefined;
    this.problem = problem;
    const retryAfter = Number(response.headers.get("Retry-After"));
    this.retryAfter = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined;
  }
}

/**
 * The data of a successful answer, or a thrown {@link ProblemError}:
 * `const project = unwrap(await client.POST("/v1/projects", { body }))`.
 */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error !== undefined || !result.response.ok) {
    throw new ProblemError(result.error as Problem, result.response);
  }
  return result.data as T;
}
