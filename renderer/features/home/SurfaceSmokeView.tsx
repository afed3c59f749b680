import { useEffect, useRef, useState } from 'react';
import { createSyntheticLabelmap, syntheticLabels } from '../../../core/imaging/syntheticLabelmap';
import { createSurfaceView } from '../../viewers/surfaceView/createSurfaceView';

export function SurfaceSmokeView() {
  const container = useRef<HTMLDivElement>(null);
  const [failure, setFailure] = useState<string | undefined>();

  useEffect(() => {
    const el = container.current;
    if (!el) return;
    try {
      const view = createSurfaceView(el, createSyntheticLabelmap(32), [
        { minLabel: syntheticLabels.organ, color: [0.85, 0.62, 0.45], opacity: 0.35 },
        { minLabel: syntheticLabels.lesion, color: [0.9, 0.2, 0.2], opacity: 1 },
      ]);
      el.dataset.rendered = 'true';
      const observer = new ResizeObserver(() => view.resize());
      observer.observe(el);
      return () => {
        observer.disconnect();
        view.dispose();
        el.replaceChildren();
        delete el.dataset.rendered;
      };
    } catch (err) {
      setFailure(err instanceof Error ? err.message : String(err));
      return undefined;
    }
  }, []);

  return (
    <>
      <div ref={container} className="surface-view" data-testid="surface-view" />
      {failure && (
        <p className="error" role="alert" data-testid="surface-error">
          3D view unavailable: {failure}
        </p>
      )}
    </>
  );
}
