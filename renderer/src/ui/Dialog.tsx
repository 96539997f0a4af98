/** A modal dialog: backdrop, title, Escape to close, focus moved inside on open. */
import { useEffect, useRef, type ReactNode } from 'react';

export interface DialogProps {
  readonly title: string;
  readonly onClose?: () => void;
  readonly children: ReactNode;
  readonly wide?: boolean;
  readonly testId?: string;
}

export function Dialog({ title, onClose, children, wide, testId }: DialogProps): React.JSX.Element {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    const first = el?.querySelector<HTMLElement>('[autofocus], input, textarea, select, button');
    (first ?? el)?.focus();
  }, []);
  return (
    <div className="backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose?.()}>
      <div
        ref={box}
        className={`dialog${wide ? ' dialog-wide' : ''}`}
        role="dialog"
        aria-modal="true"
        aria-label={title}
        tabIndex={-1}
        data-testid={testId}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && onClose) {
            e.stopPropagation();
            onClose();
          }
        }}
      >
        <header className="dialog-head">
          <h2>{title}</h2>
          {onClose && (
            <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
              ✕
            </button>
          )}
        </header>
        <div className="dialog-body">{children}</div>
      </div>
    </div>
  );
}
