import React, { useState } from 'react';
import { Alert, Button, Input, Stack, Text } from '@grafana/ui';

import { PlatformLensApi } from '../../api/platformlens';
import { Target } from '../../api/types';
import { labels } from '../../labels';
import { selectors } from '../../selectors';
import { RequestError } from '../shared/PageState';
import { useAsyncRetry } from 'react-use';

import { toError } from '../../api/errors';

const L = labels.configuration;

/** Parses the edited values; returns the first key whose value is not a number as an error. */
export function parseTargets(edits: Record<string, string>): {
  targets?: Array<{ key: string; value: number }>;
  error?: string;
} {
  const targets: Array<{ key: string; value: number }> = [];
  for (const [key, text] of Object.entries(edits)) {
    const value = Number(text.trim());
    if (text.trim() === '' || !Number.isFinite(value)) {
      return { error: L.invalidTarget(key) };
    }
    targets.push({ key, value });
  }
  return { targets };
}

/** The targets table (GET /targets), editable by Admins (PUT /targets). */
export function TargetsEditor({ api, canEdit }: { api: PlatformLensApi; canEdit: boolean }) {
  const loaded = useAsyncRetry(() => api.targets(), [api]);
  // Rows as last saved; until the first save, the rows as loaded.
  const [saved, setSaved] = useState<Target[]>();
  const rows = saved ?? loaded.value ?? [];
  const [edits, setEdits] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);
  const [result, setResult] = useState<{ ok?: string; error?: string }>({});

  if (loaded.error) {
    return <RequestError error={loaded.error} onRetry={loaded.retry} />;
  }
  if (loaded.loading && rows.length === 0) {
    return <Text color="secondary">{labels.app.loading}</Text>;
  }

  const save = async () => {
    const parsed = parseTargets(edits);
    if (parsed.error || !parsed.targets) {
      setResult({ error: parsed.error });
      return;
    }
    setSaving(true);
    setResult({});
    try {
      const stored = await api.putTargets(parsed.targets);
      setSaved(stored.length > 0 ? stored : rows);
      setEdits({});
      setResult({ ok: L.targetsSaved });
    } catch (err) {
      setResult({ error: toError(err).message });
    } finally {
      setSaving(false);
    }
  };

  const C = L.targetColumns;
  return (
    <Stack direction="column" gap={1}>
      <Text color="secondary">{L.targetsHelp}</Text>
      <table className="filter-table" data-testid={selectors.pages.targets}>
        <thead>
          <tr>
            <th>{C.key}</th>
            <th>{C.value}</th>
            <th>{C.unit}</th>
            <th>{C.direction}</th>
            <th>{C.description}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((t) => {
            const higher = t.higherIsBetter ?? t.higher_is_better;
            return (
              <tr key={t.key}>
                <td>
                  <code>{t.key}</code>
                </td>
                <td>
                  {canEdit ? (
                    <Input
                      aria-label={`${C.value} ${t.key}`}
                      width={14}
                      value={edits[t.key] ?? (t.value === null ? '' : String(t.value))}
                      onChange={(e) => setEdits({ ...edits, [t.key]: e.currentTarget.value })}
                    />
                  ) : (
                    String(t.value ?? '')
                  )}
                </td>
                <td>{t.unit ?? ''}</td>
                <td>{higher === undefined ? '' : higher ? L.higher : L.lower}</td>
                <td>{t.description ?? ''}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {result.error && <Alert severity="error" title={result.error} />}
      {result.ok && <Alert severity="success" title={result.ok} />}
      {canEdit && (
        <div>
          <Button
            data-testid={selectors.pages.saveTargets}
            icon={saving ? 'spinner' : 'save'}
            disabled={saving || Object.keys(edits).length === 0}
            onClick={save}
          >
            {saving ? L.savingTargets : L.saveTargets}
          </Button>
        </div>
      )}
    </Stack>
  );
}
