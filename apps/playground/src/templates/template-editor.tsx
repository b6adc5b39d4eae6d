import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTRPC } from '../api/trpc.js';
import { TextField } from '../ui/text-field.js';
import { createInput, type Draft, type TemplateVersion, updateInput } from './draft.js';
import { PreviewPanel, usePreview } from './preview-panel.js';
import { TemplateError } from './template-error.js';
import { VariablesEditor } from './variables-editor.js';

/**
 * Create (no `base`) or edit a template; saving an edit writes a new immutable version based on
 * `base.version` (a concurrent newer version makes the save fail instead of being overwritten).
 */
export function TemplateEditor(props: {
  initial: Draft;
  base?: TemplateVersion;
  onSaved(saved: TemplateVersion): void;
}) {
  const { base } = props;
  const [draft, setDraft] = useState(props.initial);
  const preview = usePreview(draft);
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const set = (p: Partial<Draft>) => setDraft((d) => ({ ...d, ...p }));
  const onSuccess = async (saved: TemplateVersion) => {
    await queryClient.invalidateQueries({ queryKey: trpc.templates.pathKey() });
    props.onSaved(saved);
  };
  const create = useMutation(trpc.templates.create.mutationOptions({ onSuccess }));
  const update = useMutation(trpc.templates.update.mutationOptions({ onSuccess }));
  const saving = create.isPending || update.isPending;
  const readOnly = base?.builtIn ?? false;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (base) update.mutate(updateInput(draft, base.version));
    else create.mutate(createInput(draft));
  };

  return (
    <form className="editor" onSubmit={submit} aria-label="Template editor">
      {readOnly && (
        <p className="note">Built-in templates are read-only: copy one under a new id.</p>
      )}
      <div className="grid">
        <TextField
          label="Id"
          value={draft.id}
          required
          disabled={!!base}
          placeholder="my-template"
          onChange={(id) => set({ id })}
        />
        <TextField label="Name" value={draft.name} onChange={(name) => set({ name })} />
        <TextField
          label="Tags"
          value={draft.tags}
          placeholder="comma, separated"
          onChange={(tags) => set({ tags })}
        />
        <TextField
          label="Default model"
          value={draft.model}
          placeholder="gateway default"
          onChange={(model) => set({ model })}
        />
        <TextField
          className="wide"
          label="Description"
          value={draft.description}
          onChange={(description) => set({ description })}
        />
      </div>
      <div className="two-columns">
        <div>
          <TextField
            label="System prompt"
            mono
            multiline={3}
            value={draft.systemPrompt}
            onChange={(systemPrompt) => set({ systemPrompt })}
          />
          <TextField
            label="Template"
            mono
            required
            multiline={8}
            value={draft.template}
            onChange={(template) => set({ template })}
          />
        </div>
        <PreviewPanel preview={preview} />
      </div>
      <VariablesEditor rows={draft.variables} onChange={(variables) => set({ variables })} />
      <div className="actions">
        <TextField
          label="Commit message"
          value={draft.commitMessage}
          onChange={(commitMessage) => set({ commitMessage })}
        />
        <button type="submit" disabled={saving || readOnly}>
          {base ? 'Save new version' : 'Create template'}
        </button>
      </div>
      <TemplateError
        error={create.error ?? update.error}
        label="Not saved"
        shown={preview.problems}
      />
    </form>
  );
}
