import React from 'react';
import type { CodeEditorSuggestionItem } from '@grafana/ui';

/**
 * jsdom cannot run Monaco (Grafana's CodeEditor loads it lazily from monaco-editor's ESM build),
 * so editor tests swap CodeEditor for a textarea that follows the same contract: `value` in,
 * `onBlur(text)` / `onSave(text)` out, and the completions of `getSuggestions` listed beside it.
 * Use with `jest.mock('@grafana/ui', () => withTextareaCodeEditor(jest.requireActual('@grafana/ui')))`.
 */
export function withTextareaCodeEditor<T extends object>(ui: T): T {
  function CodeEditor(props: {
    value: string;
    onBlur?: (text: string) => void;
    getSuggestions?: () => CodeEditorSuggestionItem[];
  }) {
    return (
      <>
        <textarea
          aria-label="code editor"
          defaultValue={props.value}
          onBlur={(e) => props.onBlur?.(e.currentTarget.value)}
        />
        <ul aria-label="completions">
          {(props.getSuggestions?.() ?? []).map((s) => (
            <li key={s.label}>{s.label}</li>
          ))}
        </ul>
      </>
    );
  }
  return { ...ui, CodeEditor };
}
