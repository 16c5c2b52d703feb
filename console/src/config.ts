// What the server tells the console about itself (`console/config.json`):
// where the API is and how people sign in.

export interface OidcSettings {
  issuer: string;
  client_id: string;
  scope: string;
  /** Sent as `audience` where the issuer needs it to mint an access token for the API. */
  audience: string | null;
}

export interface ConsoleConfig {
  /** The API's base URL; empty for the origin the console is served from. */
  api_base: string;
  /** Whether the API accepts development tokens (`cargo run -- token`). */
  development_tokens: boolean;
  oidc: OidcSettings | null;
}

/** The page's own directory: where `console/…` and, by default, the API live. */
export function here(): string {
  return new URL(".", location.href).href.replace(/\/$/, "");
}

export async function loadConfig(): Promise<ConsoleConfig> {
  const response = await fetch(`${here()}/console/config.json`, { cache: "no-store" });
  if (!response.ok) throw new Error(`console/config.json: ${response.status}`);
  const config = (await response.json()) as ConsoleConfig;
  return { ...config, api_base: config.api_base || here() };
}
