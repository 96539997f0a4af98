/**
 * Search box in the engine's search syntax: applies as you type (short debounce) or on Enter, shows
 * the engine's syntax error under the box with the bad term marked, suggests field names for the
 * word under the caret (Tab or arrows + Enter accept), and offers recent searches when empty.
 */
import { forwardRef, useEffect, useImperativeHandle, useRef, useState } from 'react';
import { suggestFields } from './fields';

export interface SearchError {
  readonly message: string;
  readonly start?: number;
  readonly end?: number;
  readonly validFields?: readonly string[];
}

export interface SearchBoxProps {
  readonly value: string;
  readonly error: SearchError | null;
  readonly recent: readonly string[];
  readonly onSearch: (q: string) => void;
  readonly onCommit: (q: string) => void;
}

export interface SearchBoxHandle {
  focus: () => void;
  set: (q: string) => void;
}

const DEBOUNCE_MS = 120;

export const SearchBox = forwardRef<SearchBoxHandle, SearchBoxProps>(function SearchBox(props, ref) {
  const { value, error, recent, onSearch, onCommit } = props;
  const [text, setText] = useState(value);
  const [caret, setCaret] = useState(value.length);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const input = useRef<HTMLInputElement>(null);
  const timer = useRef<number | undefined>(undefined);
  const blurTimer = useRef<number | undefined>(undefined);

  useImperativeHandle(ref, () => ({
    focus: () => {
      input.current?.focus();
      input.current?.select();
    },
    set: (q: string) => {
      setText(q);
      setCaret(q.length);
    },
  }));

  useEffect(() => setText(value), [value]);
  useEffect(
    () => () => {
      window.clearTimeout(timer.current);
      window.clearTimeout(blurTimer.current);
    },
    [],
  );

  const sugg = suggestFields(text, caret, error?.validFields ?? null);
  const showRecent = open && text.trim() === '' && recent.length > 0;
  const showFields = open && sugg.items.length > 0;
  const listLength = showFields ? sugg.items.length : showRecent ? recent.length : 0;

  const change = (next: string, nextCaret: number, immediate = false): void => {
    setText(next);
    setCaret(nextCaret);
    window.clearTimeout(timer.current);
    if (immediate) onSearch(next);
    else timer.current = window.setTimeout(() => onSearch(next), DEBOUNCE_MS);
  };

  const accept = (i: number): void => {
    if (showFields) {
      const item = sugg.items[i];
      if (!item) return;
      const next = text.slice(0, sugg.start) + item.insert + text.slice(sugg.end);
      const pos = sugg.start + item.insert.length;
      // The half-typed word's pending search would come back as `value` and undo the accepted name.
      window.clearTimeout(timer.current);
      setText(next);
      setCaret(pos);
      setActive(-1);
      requestAnimationFrame(() => input.current?.setSelectionRange(pos, pos));
    } else if (showRecent) {
      const q = recent[i];
      if (q == null) return;
      change(q, q.length, true);
      onCommit(q);
      setOpen(false);
    }
  };

  const onKeyDown = (e: React.KeyboardEvent<HTMLInputElement>): void => {
    if (e.key === 'ArrowDown' && listLength) {
      e.preventDefault();
      setActive((a) => (a + 1) % listLength);
    } else if (e.key === 'ArrowUp' && listLength) {
      e.preventDefault();
      setActive((a) => (a <= 0 ? listLength - 1 : a - 1));
    } else if (e.key === 'Tab' && showFields) {
      e.preventDefault();
      accept(active < 0 ? 0 : active);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      if (active >= 0 && listLength) accept(active);
      else {
        change(text, caret, true);
        onCommit(text);
        setOpen(false);
      }
    } else if (e.key === 'Escape') {
      if (open) setOpen(false);
      else if (text) change('', 0, true);
    }
  };

  const start = error?.start ?? -1;
  const end = error?.end ?? -1;
  const marked = error && start >= 0 && end > start && end <= text.length;

  return (
    <div className="search">
      <div className={`search-field${error ? ' search-invalid' : ''}`}>
        <span className="search-icon" aria-hidden>
          ⌕
        </span>
        <input
          ref={input}
          type="search"
          aria-label="Search records"
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'search-error' : undefined}
          placeholder="Search: jane@kunde.de  status:ERROR  smtp:5.1.1  after:2026-10-01  -region:US1"
          value={text}
          spellCheck={false}
          autoComplete="off"
          onChange={(e) => {
            setOpen(true);
            setActive(-1);
            change(e.target.value, e.target.selectionStart ?? e.target.value.length);
          }}
          onSelect={(e) => setCaret(e.currentTarget.selectionStart ?? 0)}
          onFocus={() => {
            window.clearTimeout(blurTimer.current);
            setOpen(true);
          }}
          // Closed a moment later so a click on a suggestion still lands.
          onBlur={() => {
            blurTimer.current = window.setTimeout(() => setOpen(false), 150);
          }}
          onKeyDown={onKeyDown}
        />
        <kbd className="search-kbd">Ctrl+F</kbd>
      </div>
      {error && (
        <div id="search-error" className="search-error" role="alert">
          {marked && (
            <code className="search-error-text">
              {text.slice(0, start)}
              <mark>{text.slice(start, end)}</mark>
              {text.slice(end)}
            </code>
          )}
          <span>{error.message}</span>
        </div>
      )}
      {(showFields || showRecent) && (
        <ul
          className="search-menu"
          role="listbox"
          aria-label={showFields ? 'Field names' : 'Recent searches'}
        >
          {showRecent && <li className="search-menu-title">Recent searches</li>}
          {showFields
            ? sugg.items.map((f, i) => (
                <li
                  key={f.name}
                  role="option"
                  aria-selected={i === active}
                  className={i === active ? 'active' : ''}
                  onMouseDown={(e) => {
                    e.preventDefault();
                    accept(i);
                  }}
                >
                  <code>{f.insert}</code> <span className="muted">{f.hint}</span>
                </li>
              ))
            : recent.map((q, i) => (
                <li
                  key={q}
                  role="option"
                  aria-selected={i === active}
                  className={i === active ? 'active' : ''}
                  onMouseDown={(e) => {
                    e.preventDefault();
                    accept(i);
                  }}
                >
                  <code>{q}</code>
                </li>
              ))}
        </ul>
      )}
    </div>
  );
});
