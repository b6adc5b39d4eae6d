import { GatewayClientError } from '@intellicore/llm-client';
import { ErrorBox } from '../ui/error-box.js';
import { type PreviewProblem, problemsOf } from './preview.js';
import { ProblemText, problemKey } from './preview-panel.js';

const TEMPLATE_CODES = new Set(['TEMPLATE_INVALID', 'MISSING_VARIABLES']);

/**
 * A failed save or render. Template problems are listed once each, at their line and column
 * (the gateway's message repeats its first field error, so the message is not shown again);
 * problems the live preview already shows are only referred to. Other failures: ErrorBox.
 */
export function TemplateError(props: {
  error: unknown;
  label: string;
  /** Problems already on screen (the live preview's). */
  shown?: PreviewProblem[];
}) {
  const { error, label, shown = [] } = props;
  if (!error) return null;
  const e = GatewayClientError.from(error);
  if (!TEMPLATE_CODES.has(e.gatewayCode)) return <ErrorBox error={error} label={label} />;
  const problems = problemsOf({
    message: e.message,
    fieldErrors: e.fieldErrors,
    details: e.details,
  });
  const onScreen = new Set(shown.map(problemKey));
  const fresh = problems.filter((p) => !onScreen.has(problemKey(p)));
  const repeated = problems.length - fresh.length;
  return (
    <div className="error" role="alert" data-testid="template-error">
      <strong>{label}: </strong>
      <code className="code">{e.gatewayCode}</code>
      {repeated > 0 && (
        <span> {repeated === 1 ? 'the problem' : `${repeated} problems`} shown in the preview</span>
      )}
      {fresh.length > 0 && (
        <ul>
          {fresh.map((p) => (
            <li key={problemKey(p)}>
              <ProblemText problem={p} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
