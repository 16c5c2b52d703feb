// The console's one way to the API: the generated client with the user's
// own token and org. Every screen calls it; nothing else holds the token.

import {
  createControlPlaneClient,
  ProblemError,
  unwrap,
  type components,
  type ControlPlaneClient,
} from "@controlplane/client";

export { ProblemError, unwrap };
export type Schemas = components["schemas"];
export type Permission = Schemas["Permission"];
export type Me = Schemas["Me"];

export interface Api {
  client: ControlPlaneClient;
  base: string;
  token: string;
  org: string | null;
  /** A GET of a file route (evidence, exports, backups) as a Blob, with the same credentials. */
  download(path: string): Promise<Blob>;
}

export function connect(base: string, token: string, org: string | null): Api {
  const client = createControlPlaneClient({ baseUrl: base, token, orgId: org ?? undefined });
  const headers: Record<string, string> = { Authorization: `Bearer ${token}` };
  if (org) headers["X-Org-Id"] = org;
  return {
    client,
    base,
    token,
    org,
    async download(path: string) {
      const response = await fetch(`${base}${path}`, { headers });
      if (!response.ok) {
        const problem = await response.json().catch(() => ({ title: response.statusText, status: response.status }));
        throw new ProblemError(problem, response);
      }
      return response.blob();
    },
  };
}

/** Every permission, in the order the API lists them. */
export const PERMISSIONS: Permission[] = [
  "org:read",
  "org:update",
  "members:read",
  "members:manage",
  "roles:manage",
  "projects:read",
  "projects:write",
  "projects:read_deleted",
  "audit:read",
  "keys:manage",
  "webhooks:manage",
  "jobs:read",
  "jobs:manage",
  "usage:read",
  "quotas:write",
  "sources:read",
  "sources:write",
  "sources:run",
  "credentials:manage",
  "ingest:push",
  "mcp:manage",
  "mcp:use",
];

/** The SHA-256 (hex) of a download, to check it against the digest the API recorded. */
export async function sha256(blob: Blob): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", await blob.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** A page of the audit log (the route answers CSV too, when asked for it). */
export type AuditPage = Schemas["ListResponse_AuditEvent"];

/** The message a person reads for a failure: the problem's title and detail. */
export function describe(error: unknown): string {
  if (error instanceof ProblemError) {
    const { title, detail } = error.problem;
    return detail ? `${title}: ${detail}` : title;
  }
  return error instanceof Error ? error.message : String(error);
}

/** The problem's message for one field, as the API names it (`name`, `query.from`). */
export function fieldError(error: unknown, field: string): string | undefined {
  if (!(error instanceof ProblemError)) return undefined;
  return error.problem.errors?.find((e) => e.field === field)?.message;
}
