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

/** What a finished demo load wrote (pkg/demo Result). */
export interface DemoResult {
  tier?: string;
  seed?: number;
  tables?: Array<{ table: string; rows: number; seconds: number }>;
  /** rows over all tables */
  rows?: number;
  /** seconds, including the rollup refresh */
  seconds?: number;
}

/** How far one table (or the "rollups" refresh step) of a demo load got. */
export interface DemoTableProgress {
  table: string;
  rows: number;
  seconds?: number;
  done: boolean;
}

/** A background demo load (POST and GET /demo answer `{ job }`). */
export interface DemoJob {
  id: string;
  tier: string;
  seed: number;
  state: 'running' | 'done' | 'failed';
  startedAt: string;
  finishedAt?: string;
  elapsedSeconds?: number;
  tables: DemoTableProgress[];
  result?: DemoResult;
  error?: string;
  hint?: string;
}

export interface HealthResult {
  status: 'OK' | 'ERROR' | string;
  message: string;
}

/** One row of GET /sources: what `platformlens serve` received from a tool into a table. */
export interface SourceStatus {
  source: string;
  table: string;
  received: number;
  stored: number;
  duplicates: number;
  rejected: number;
  ignored: number;
  signatureFailures: number;
  malformed: number;
  lastEventAt: string | null;
  lastReceivedAt: string | null;
}

/** A repository or service whose events were stored as "unassigned". */
export interface UnmappedName {
  source: string;
  name: string;
  events: number;
  lastSeen: string;
}

/** The answer of the datasource's GET /sources (pkg/receiver.SourcesReport). */
export interface SourcesReport {
  installed: boolean;
  sources: SourceStatus[];
  unmapped: UnmappedName[];
}
