import type { ReactElement } from 'react';
import type { Instance, Series } from '../../../../shared/api/schemas.ts';
import { sopClassName } from '../../../../shared/dicom/sop-class-names.ts';

interface Props {
  series: Series;
  instance: Instance;
  /** Why it is not shown beyond its class, when there is more to say. */
  reason?: string;
}

/** Says what an object Concord does not display is, instead of a black viewport. */
export function NotDisplayableCard({ series, instance, reason }: Props): ReactElement {
  return (
    <article className="document not-displayable" data-document-kind="not-displayable" data-sop-instance-uid={instance.sopInstanceUid}>
      <h2>Not displayable: {sopClassName(instance.sopClassUid)}</h2>
      <dl className="document-header">
        <div>
          <dt>Series</dt>
          <dd>
            {series.modality} {series.seriesNumber ?? ''} {series.seriesDescription || '(no description)'}
          </dd>
        </div>
        <div>
          <dt>Instance</dt>
          <dd>
            {instance.instanceNumber === null ? '(no number)' : `#${instance.instanceNumber}`}
            {instance.documentTitle && ` · ${instance.documentTitle}`}
          </dd>
        </div>
        <div>
          <dt>SOP class</dt>
          <dd className="mono">{instance.sopClassUid}</dd>
        </div>
      </dl>
      {reason && <p className="error">{reason}</p>}
      <p className="muted">Concord keeps this object in the library with the study but cannot show its content.</p>
    </article>
  );
}
