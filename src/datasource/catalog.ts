import { MetricDefinition, OptionSpec } from './types';

/** The spec of option `name` if the metric reads it. */
export function optionSpec(metric: MetricDefinition | undefined, name: string): OptionSpec | undefined {
  return metric?.options?.find((o) => o.name === name);
}

/** Whether the metric reads option `name`. */
export function hasOption(metric: MetricDefinition | undefined, name: string): boolean {
  return optionSpec(metric, name) !== undefined;
}

/** The backend's default of a string option (e.g. stat), from the catalog. */
export function stringDefault(metric: MetricDefinition | undefined, name: string): string | undefined {
  const d = optionSpec(metric, name)?.default;
  return d === undefined ? undefined : String(d);
}

/** The backend's default of a numeric option (e.g. horizon, sensitivity), from the catalog. */
export function numberDefault(metric: MetricDefinition | undefined, name: string): number | undefined {
  const d = optionSpec(metric, name)?.default;
  return d === undefined ? undefined : Number(d);
}
