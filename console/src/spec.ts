// The API's own OpenAPI document, read once: the forms whose fields depend
// on a kind (a source's connector, a credential's value, a key type's
// scopes) are drawn from the same `if`/`then` conditions the API checks.

import { useEffect, useState } from "preact/hooks";
import { useApp } from "./app";

export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  allOf?: JsonSchema[];
  if?: JsonSchema;
  then?: JsonSchema;
  $ref?: string;
  description?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  format?: string;
  additionalProperties?: boolean | JsonSchema;
};

export interface Spec {
  components: { schemas: Record<string, JsonSchema> };
}

let loading: Promise<Spec> | null = null;

export function useSpec(): Spec | null {
  const { config } = useApp();
  const [spec, setSpec] = useState<Spec | null>(null);
  useEffect(() => {
    loading ??= fetch(`${config.api_base}/v1/openapi.json`).then((r) => r.json() as Promise<Spec>);
    loading.then(setSpec);
  }, []);
  return spec;
}

/** `schema` with a `$ref` followed, and a nullable `oneOf`/type reduced to its non-null part. */
export function resolve(spec: Spec, schema: JsonSchema): JsonSchema {
  let current = schema;
  for (let depth = 0; depth < 10; depth++) {
    if (current.$ref) {
      const name = current.$ref.split("/").pop()!;
      const { description } = current;
      current = { ...spec.components.schemas[name], ...(description ? { description } : {}) };
      continue;
    }
    const union = current.oneOf ?? current.anyOf;
    if (union && !current.properties) {
      const real = union.filter((s) => s.type !== "null");
      if (real.length === 1) {
        current = { ...real[0], description: current.description ?? real[0].description };
        continue;
      }
    }
    break;
  }
  if (Array.isArray(current.type)) {
    const real = current.type.filter((t) => t !== "null");
    current = { ...current, type: real.length === 1 ? real[0] : real };
  }
  return current;
}

/** The schema `field` takes in `schema` when its `discriminator` is `value` (its `if`/`then`). */
export function conditional(spec: Spec, schema: string, discriminator: string, value: string, field: string) {
  const body = spec.components.schemas[schema];
  const branch = body?.allOf?.find((c) => c.if?.properties?.[discriminator]?.const === value);
  const found = branch?.then?.properties?.[field];
  return found ? resolve(spec, found) : undefined;
}
