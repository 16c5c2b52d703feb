// The signed-in session: the access token and the org in use, kept in
// sessionStorage (gone when the tab closes; never localStorage, so no other
// tab or later visit finds it). Sign-out forgets both.

import type { OidcSettings } from "./config";

const SESSION = "controlplane.session";
const PENDING = "controlplane.oidc.pending";

export interface Session {
  token: string;
  /** The org the console acts in (`X-Org-Id`). */
  org: string | null;
}

export function loadSession(): Session | null {
  try {
    const raw = sessionStorage.getItem(SESSION);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

export function saveSession(session: Session | null): void {
  if (session) sessionStorage.setItem(SESSION, JSON.stringify(session));
  else sessionStorage.removeItem(SESSION);
}

export function signOut(): void {
  sessionStorage.removeItem(SESSION);
  sessionStorage.removeItem(PENDING);
}

function base64url(bytes: Uint8Array): string {
  let text = "";
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function randomString(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

interface Discovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
}

async function discover(oidc: OidcSettings): Promise<Discovery> {
  const url = `${oidc.issuer.replace(/\/$/, "")}/.well-known/openid-configuration`;
  const response = await fetch(url);
  if (!response.ok) throw new Error(`the issuer's discovery document answered ${response.status}`);
  const discovery = (await response.json()) as Discovery;
  if (discovery.issuer !== oidc.issuer) throw new Error(`the discovery document names issuer ${discovery.issuer}`);
  return discovery;
}

/** Where the issuer sends the browser back: this page, without query or fragment. */
function redirectUri(): string {
  return `${location.origin}${location.pathname}`;
}

/**
 * Starts the Authorization Code flow with PKCE (S256): remembers the
 * verifier and state for this tab, then leaves for the issuer.
 */
export async function startOidcSignIn(oidc: OidcSettings): Promise<void> {
  const discovery = await discover(oidc);
  const verifier = randomString();
  const state = randomString();
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state }));
  const url = new URL(discovery.authorization_endpoint);
  const params: Record<string, string> = {
    response_type: "code",
    client_id: oidc.client_id,
    redirect_uri: redirectUri(),
    scope: oidc.scope,
    state,
    code_challenge: base64url(new Uint8Array(digest)),
    code_challenge_method: "S256",
  };
  if (oidc.audience) params.audience = oidc.audience;
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  location.assign(url.toString());
}

/**
 * Completes a sign-in the issuer redirected back with (`?code=&state=`):
 * checks the state, redeems the code with the verifier, and returns the
 * access token. `null` when the page was not opened by such a redirect.
 */
export async function finishOidcSignIn(oidc: OidcSettings): Promise<string | null> {
  const query = new URLSearchParams(location.search);
  const code = query.get("code");
  const error = query.get("error");
  if (!code && !error) return null;
  history.replaceState(null, "", redirectUri() + location.hash);
  const pending = sessionStorage.getItem(PENDING);
  sessionStorage.removeItem(PENDING);
  if (error) throw new Error(`the issuer refused the sign-in: ${query.get("error_description") ?? error}`);
  const saved: { verifier?: string; state?: string } = pending ? JSON.parse(pending) : {};
  const verifier = saved.verifier;
  if (!verifier || query.get("state") !== saved.state) throw new Error("the sign-in answer does not match this tab's request");
  const discovery = await discover(oidc);
  const body = new URLSearchParams({
    grant_type: "authorization_code",
    code: code as string,
    redirect_uri: redirectUri(),
    client_id: oidc.client_id,
    code_verifier: verifier,
  });
  const response = await fetch(discovery.token_endpoint, { method: "POST", body });
  const tokens = (await response.json()) as { access_token?: string; error?: string; error_description?: string };
  if (!response.ok || !tokens.access_token) {
    throw new Error(`the issuer would not redeem the code: ${tokens.error_description ?? tokens.error ?? response.status}`);
  }
  return tokens.access_token;
}
