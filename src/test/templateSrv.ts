import { ScopedVars, TypedVariableModel } from '@grafana/data';
import { TemplateSrv } from '@grafana/runtime';

type Format = string | ((value: unknown) => string) | undefined;

function applyFormat(value: string | string[], format: Format): string {
  if (typeof format === 'function') {
    return format(value);
  }
  const values = Array.isArray(value) ? value : [value];
  if (format === 'sqlstring') {
    return values.map((v) => `'${v.replace(/'/g, "''")}'`).join(',');
  }
  // Grafana's default format for multi-value variables is the glob {a,b}.
  return values.length > 1 ? `{${values.join(',')}}` : (values[0] ?? '');
}

/**
 * A TemplateSrv for unit tests with Grafana's `$var` / `${var}` / `[[var]]` syntax, scoped vars
 * taking precedence and format functions applied to the raw (possibly multi) value. Grafana's own
 * implementation lives in Grafana, not in an npm package.
 */
export function fakeTemplateSrv(vars: Record<string, string | string[]>): TemplateSrv {
  return {
    getVariables: () => Object.keys(vars).map((name) => ({ name }) as TypedVariableModel),
    replace(target?: string, scopedVars?: ScopedVars, format?: Format): string {
      if (!target) {
        return target ?? '';
      }
      return target.replace(/\$(\w+)|\$\{(\w+)\}|\[\[(\w+)\]\]/g, (match, a, b, c) => {
        const name = a ?? b ?? c;
        const scoped = scopedVars?.[name]?.value;
        const value = scoped !== undefined ? (scoped as string | string[]) : vars[name];
        return value === undefined ? match : applyFormat(value, format);
      });
    },
    containsTemplate: (t?: string) => Boolean(t && /\$\w+|\$\{\w+\}/.test(t)),
    updateTimeRange: () => {},
  } as unknown as TemplateSrv;
}
