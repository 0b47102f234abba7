import React, { useState } from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import {
  CodeEditor,
  CodeEditorSuggestionItem,
  CodeEditorSuggestionItemKind,
  Collapse,
  Field,
  useStyles2,
} from '@grafana/ui';

import { labels } from '../../labels';
import { selectors } from '../../selectors';

interface Props {
  rawSql?: string;
  onChange: (rawSql: string) => void;
  /** Called when the editor loses focus, so the panel runs the query once, not per key stroke. */
  onRunQuery: () => void;
}

const L = labels.query.sql;

/** The macros the backend expands (pkg macros), offered as completions in the SQL editor. */
export function macroSuggestions(): CodeEditorSuggestionItem[] {
  return labels.query.macroHelp.map((m) => ({
    label: m.macro,
    kind: m.macro.includes('(') ? CodeEditorSuggestionItemKind.Method : CodeEditorSuggestionItemKind.Constant,
    detail: m.text,
  }));
}

const getStyles = (theme: GrafanaTheme2) => ({
  macroText: css({ paddingLeft: theme.spacing(2), color: theme.colors.text.secondary }),
});

/** SQL mode: Grafana's code editor with SQL highlighting and macro completions, run read-only. */
export function SqlEditor({ rawSql, onChange, onRunQuery }: Props) {
  const [helpOpen, setHelpOpen] = useState(false);
  const styles = useStyles2(getStyles);
  return (
    <>
      <Field label={L.label} description={L.description}>
        <div data-testid={selectors.query.rawSql}>
          <CodeEditor
            language="sql"
            height={200}
            value={rawSql ?? ''}
            showLineNumbers
            showMiniMap={false}
            getSuggestions={macroSuggestions}
            onBlur={(text) => {
              onChange(text);
              onRunQuery();
            }}
            onSave={(text) => {
              onChange(text);
              onRunQuery();
            }}
          />
        </div>
      </Field>
      <Collapse label={L.macros} isOpen={helpOpen} onToggle={() => setHelpOpen(!helpOpen)} collapsible>
        <table data-testid={selectors.query.macroHelp}>
          <tbody>
            {labels.query.macroHelp.map((m) => (
              <tr key={m.macro}>
                <td>
                  <code>{m.macro}</code>
                </td>
                <td className={styles.macroText}>{m.text}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Collapse>
    </>
  );
}
