/**
 * A modal dialog: backdrop, title, focus moved inside on open, Tab kept inside, Escape closes it
 * wherever focus is, and focus returns on close to what had it before (also across a dialog that
 * turns into another, e.g. import progress into the import summary).
 */
import { useEffect, useRef, type ReactNode } from 'react';

export interface DialogProps {
  readonly title: string;
  readonly onClose?: () => void;
  readonly children: ReactNode;
  readonly wide?: boolean;
  readonly testId?: string;
}

const FOCUSABLE =
  'a[href], button:not(:disabled), input:not(:disabled), select:not(:disabled), textarea:not(:disabled), [tabindex]:not([tabindex="-1"])';

/** Open dialogs, topmost last: only the topmost handles keys. */
const open: HTMLElement[] = [];
/** The element to return to, handed from a dialog that closed to one that opened in the same turn. */
let handoff: HTMLElement | null = null;

function focusables(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.getClientRects().length > 0);
}

/** Focus the first field or the autofocus element, else the dialog itself (it has tabIndex -1). */
export function focusFirst(root: HTMLElement): void {
  const preferred = root.querySelector<HTMLElement>('[data-autofocus], [autofocus]');
  const body = root.querySelector<HTMLElement>('.dialog-body') ?? root;
  (preferred ?? focusables(body)[0] ?? root).focus();
}

export function Dialog({ title, onClose, children, wide, testId }: DialogProps): React.JSX.Element {
  const box = useRef<HTMLDivElement>(null);
  const closeRef = useRef(onClose);
  closeRef.current = onClose;

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const active = document.activeElement;
    const before = handoff ?? (active instanceof HTMLElement && active !== document.body ? active : null);
    handoff = null;
    open.push(el);
    focusFirst(el);
    const onKey = (e: KeyboardEvent): void => {
      if (open[open.length - 1] !== el) return;
      if (e.key === 'Escape') {
        if (!closeRef.current) return;
        e.preventDefault();
        e.stopPropagation();
        closeRef.current();
      } else if (e.key === 'Tab') {
        const items = focusables(el);
        const first = items[0];
        const last = items[items.length - 1];
        const inside = el.contains(document.activeElement);
        if (!first || !last) {
          e.preventDefault();
          el.focus();
        } else if (e.shiftKey && (!inside || document.activeElement === first)) {
          e.preventDefault();
          last.focus();
        } else if (!e.shiftKey && (!inside || document.activeElement === last)) {
          e.preventDefault();
          first.focus();
        }
      }
    };
    // Capture phase: Escape reaches the dialog even when focus sits outside it (or on the body).
    document.addEventListener('keydown', onKey, true);
    return () => {
      document.removeEventListener('keydown', onKey, true);
      open.splice(open.indexOf(el), 1);
      handoff = before;
      // If no dialog takes over in this turn, focus goes back where it was.
      window.setTimeout(() => {
        if (handoff !== before) return;
        handoff = null;
        if (before && before.isConnected && !(before as HTMLButtonElement).disabled) before.focus();
      }, 0);
    };
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
