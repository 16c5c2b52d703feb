// A form drawn from a JSON schema of the API's document: the fields of a
// source's connector or a credential's value for the kind chosen, with the
// API's validation message beside each (named by its path, e.g.
// `connector.files[0].name`).

import { useId } from "preact/hooks";
import { resolve, type JsonSchema, type Spec } from "./spec";
import { Field, FieldMessage } from "./ui";

type Value = unknown;

interface Props {
  spec: Spec;
  schema: JsonSchema;
  value: Value;
  onChange: (v: Value) => void;
  /** The field's path as the API names it in errors. */
  path: string;
  label: string;
  error: unknown;
  /** Inputs for secrets are password fields and never prefilled. */
  secret?: boolean;
}

const typeOf = (schema: JsonSchema) => (Array.isArray(schema.type) ? schema.type[0] : schema.type);
const words = (name: string) => name.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase());
const LONG_TEXT = ["content", "document", "policy", "body", "template"];
const SECRET = ["password", "token", "secret"];

export function SchemaForm(props: Props) {
  const schema = resolve(props.spec, props.schema);
  const type = typeOf(schema);
  const { path, label, error, value, onChange } = props;
  const hint = schema.description?.replace(/`/g, "");
  if (type === "object" && schema.properties) {
    const object = (value ?? {}) as Record<string, Value>;
    return (
      <fieldset class="schema-object">
        <legend>{label}</legend>
        {hint && <p class="hint">{hint}</p>}
        {Object.entries(schema.properties).map(([name, child]) => (
          <SchemaForm
            key={name}
            spec={props.spec}
            schema={child}
            value={object[name]}
            onChange={(v) => onChange(prune({ ...object, [name]: v }))}
            path={path ? `${path}.${name}` : name}
            label={words(name) + (schema.required?.includes(name) ? "" : " (optional)")}
            error={error}
            secret={props.secret || SECRET.includes(name)}
          />
        ))}
        <FieldMessage name={path} error={error} />
      </fieldset>
    );
  }
  if (type === "array" && schema.items) {
    const items = resolve(props.spec, schema.items);
    const list = (value ?? []) as Value[];
    if (typeOf(items) === "object") {
      return (
        <fieldset class="schema-array">
          <legend>{label}</legend>
          {hint && <p class="hint">{hint}</p>}
          {list.map((item, i) => (
            <div class="schema-item" key={i}>
              <SchemaForm
                spec={props.spec}
                schema={items}
                value={item}
                onChange={(v) => onChange(list.map((old, j) => (j === i ? v : old)))}
                path={`${path}[${i}]`}
                label={`${words(label)} ${i + 1}`}
                error={error}
              />
              <button type="button" onClick={() => onChange(list.filter((_, j) => j !== i))}>
                Remove {label.toLowerCase()} {i + 1}
              </button>
            </div>
          ))}
          <button type="button" onClick={() => onChange([...list, {}])}>
            Add to {label.toLowerCase()}
          </button>
          <FieldMessage name={path} error={error} />
        </fieldset>
      );
    }
    return (
      <Field label={label} name={path} error={error} hint={`One a line.${hint ? ` ${hint}` : ""}`}>
        {(p) => (
          <textarea
            {...p}
            rows={3}
            value={list.join("\n")}
            onInput={(e) => {
              const lines = e.currentTarget.value.split("\n").map((l) => l.trim()).filter(Boolean);
              onChange(lines.length ? lines.map((l) => (typeOf(items) === "integer" ? Number(l) : l)) : undefined);
            }}
          />
        )}
      </Field>
    );
  }
  if (type === "object") {
    return <JsonField {...props} hint={hint} />;
  }
  return (
    <Field label={label} name={path} error={error} hint={hint}>
      {(p) => {
        if (schema.enum) {
          return (
            <select {...p} value={(value as string) ?? ""} onChange={(e) => onChange(e.currentTarget.value || undefined)}>
              <option value="">—</option>
              {schema.enum.map((option) => (
                <option key={String(option)}>{String(option)}</option>
              ))}
            </select>
          );
        }
        if (type === "boolean") {
          return <input {...p} type="checkbox" checked={!!value} onChange={(e) => onChange(e.currentTarget.checked)} />;
        }
        if (type === "integer" || type === "number") {
          return (
            <input
              {...p}
              type="number"
              min={schema.minimum}
              max={schema.maximum}
              value={(value as number) ?? ""}
              onInput={(e) => onChange(e.currentTarget.value === "" ? undefined : Number(e.currentTarget.value))}
            />
          );
        }
        const last = path.split(".").pop() ?? "";
        if (LONG_TEXT.includes(last)) {
          return (
            <textarea
              {...p}
              rows={8}
              spellcheck={false}
              value={(value as string) ?? ""}
              onInput={(e) => onChange(e.currentTarget.value || undefined)}
            />
          );
        }
        const typed = (e: { currentTarget: HTMLInputElement }) => onChange(e.currentTarget.value || undefined);
        return props.secret ? (
          <input {...p} type="password" autocomplete="new-password" value={(value as string) ?? ""} onInput={typed} />
        ) : (
          <input {...p} type="text" autocomplete="off" value={(value as string) ?? ""} onInput={typed} />
        );
      }}
    </Field>
  );
}

/** An object with free keys (a map): edited as JSON. */
function JsonField({ label, path, error, value, onChange, hint }: Props & { hint?: string }) {
  const id = useId();
  return (
    <Field label={label} name={path} error={error} hint={`JSON.${hint ? ` ${hint}` : ""}`}>
      {(p) => (
        <textarea
          {...p}
          id={p.id ?? id}
          rows={4}
          spellcheck={false}
          defaultValue={value === undefined ? "" : JSON.stringify(value, null, 2)}
          onInput={(e) => {
            try {
              onChange(e.currentTarget.value.trim() ? JSON.parse(e.currentTarget.value) : undefined);
            } catch {
              /* kept as typed until it parses */
            }
          }}
        />
      )}
    </Field>
  );
}

/** An object without its unset fields (the API treats absent and unset alike). */
function prune(object: Record<string, Value>): Record<string, Value> {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined));
}
