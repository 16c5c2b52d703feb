// The console's shared state: the API connection, who the user is in the
// org in use, and what they may do there.

import { createContext } from "preact";
import { useContext } from "preact/hooks";
import type { Api, Me, Permission, Schemas } from "./api";
import type { ConsoleConfig } from "./config";

export interface AppState {
  config: ConsoleConfig;
  api: Api;
  me: Me;
  orgs: Schemas["Org"][];
  /** Switches the org the console acts in. */
  switchOrg(org: string | null): void;
  /** Reads the caller's standing again (after a role or org change). */
  refresh(): Promise<void>;
  signOut(): void;
}

export const App = createContext<AppState | null>(null);

export function useApp(): AppState {
  const app = useContext(App);
  if (!app) throw new Error("outside the signed-in console");
  return app;
}

/** Whether the user's role (in the org in use) grants `permission`. */
export function useCan(): (permission: Permission) => boolean {
  const { me } = useApp();
  return (permission) => me.permissions.includes(permission);
}
