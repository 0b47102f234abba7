/** Answers of the datasource resource routes used by the app pages (docs/architecture.md). */

export interface TableStatus {
  table: string;
  rows: number;
  /** RFC 3339 time of the newest event, null/absent for an empty table. */
  newest?: string | null;
  /** freshness status (e.g. fresh / stale / empty) or age in seconds, as the backend reports it. */
  freshness?: string | number | null;
}

export interface IngestErrorRow {
  id?: number;
  at?: string;
  table?: string;
  tableName?: string;
  table_name?: string;
  source?: string;
  rowIndex?: number;
  row_index?: number;
  field?: string;
  reason?: string;
}

export interface StoreStatus {
  mode?: string;
  postgresVersion?: string;
  timescaleVersion?: string;
  schemaVersion?: number;
  latestSchemaVersion?: number;
  migrated?: boolean;
  tables?: TableStatus[];
  ingestErrors?: IngestErrorRow[];
}

export interface Target {
  key: string;
  value: number | null;
  unit?: string;
  higherIsBetter?: boolean;
  higher_is_better?: boolean;
  description?: string;
  updatedAt?: string;
  updated_at?: string;
}

export interface MigrateResult {
  applied?: Array<string | number | { version?: number; name?: string }>;
  version?: number;
}

export interface DemoResult {
  /** rows per table */
  rows?: Record<string, number>;
  tables?: Record<string, number>;
  seconds?: number;
}

export interface HealthResult {
  status: 'OK' | 'ERROR' | string;
  message: string;
}
