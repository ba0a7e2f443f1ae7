import { CopyButton } from '../conversation/copy-button';
import { describeSize, showInvisible } from './subject-text';

/** What an approval is about, whole: a scrollable monospace block with its size and a copy button. */
export function SubjectBlock({ subject }: { subject: string }) {
  const shown = showInvisible(subject);
  return (
    <figure className="approval-subject-block">
      <figcaption className="approval-subject-size">
        <span>
          {describeSize(subject)}
          {shown.hidden > 0 &&
            `; ${shown.hidden.toLocaleString('en-US')} invisible character${shown.hidden === 1 ? '' : 's'} shown as ⟨U+…⟩`}
        </span>
        <CopyButton text={() => subject} label="Copy the whole text" />
      </figcaption>
      <pre className="approval-subject" tabIndex={0} aria-label="What the agent wants to run">
        {shown.text}
      </pre>
    </figure>
  );
}
