import React, { useState } from 'react';
import { Collapse, Field, TextArea } from '@grafana/ui';

import { labels } from '../../labels';
import { selectors } from '../../selectors';

interface Props {
  rawSql?: string;
  onChange: (rawSql: string) => void;
  /** Called when the editor loses focus, so the panel runs the query once, not per key stroke. */
  onRunQuery: () => void;
}

const L = labels.query.sql;

/** SQL mode: raw SQL with macros, run read-only by the backend; with a macro cheat-sheet. */
export function SqlEditor({ rawSql, onChange, onRunQuery }: Props) {
  const [helpOpen, setHelpOpen] = useState(false);
  return (
    <>
      <Field label={L.label} description={L.description}>
        <TextArea
          data-testid={selectors.query.rawSql}
          aria-label={L.label}
          rows={8}
          style={{ fontFamily: 'monospace' }}
          value={rawSql ?? ''}
          placeholder={L.placeholder}
          onChange={(e) => onChange(e.currentTarget.value)}
          onBlur={onRunQuery}
        />
      </Field>
      <Collapse label={L.macros} isOpen={helpOpen} onToggle={() => setHelpOpen(!helpOpen)} collapsible>
        <table data-testid={selectors.query.macroHelp}>
          <tbody>
            {labels.query.macroHelp.map((m) => (
              <tr key={m.macro}>
                <td>
                  <code>{m.macro}</code>
                </td>
                <td style={{ paddingLeft: 16 }}>{m.text}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Collapse>
    </>
  );
}
