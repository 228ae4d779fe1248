/**
 * A horizontally scrolling region for a wide table in a narrow place: focusable and named, so
 * keyboard users can scroll it (axe "scrollable-region-focusable").
 */
import type { ReactNode } from 'react';

export function ScrollRegion({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div role="region" aria-label={label} tabIndex={0} style={{ overflowX: 'auto' }}>
      {children}
    </div>
  );
}
