/**
 * What an import did, per file: rows imported, duplicates, rejected (viewable), the detected
 * delimiter/encoding/time zone, undocumented enum values, and a way to re-import a file with a
 * different delimiter or encoding. A file identical to an earlier import is shown as such (with that
 * import's counts) and can be re-checked anyway.
 */
import { useState } from 'react';
import type {
  Delimiter,
  EncodingName,
  FileImportResult,
  ImportRequest,
  ImportResult,
} from '../../../common/contract';
import { columnById, type ColumnId } from '../../../common/columns';
import { fileName, formatCount, formatDuration, formatTime } from '../format';
import { ZoneSelect } from '../zone/ZoneSelect';
import { RejectedRows } from './RejectedRows';
import type { ImportOverrides } from './useImport';

export const DELIMITER_LABEL: Record<string, string> = {
  ',': 'Comma (,)',
  ';': 'Semicolon (;)',
  '\t': 'Tab',
  '|': 'Pipe (|)',
};
const DELIMITERS: readonly Delimiter[] = [',', ';', '\t', '|'];

const ENCODINGS: readonly EncodingName[] = ['utf-8', 'windows-1252'];

function FileSummary({
  f,
  forced,
  notify,
  onReimport,
}: {
  readonly f: FileImportResult;
  /** Delimiter/encoding the user chose instead of detection, if any. */
  readonly forced: Pick<ImportRequest, 'delimiter' | 'encoding' | 'timeZone'>;
  readonly notify: (t: string) => void;
  readonly onReimport: (path: string, overrides: ImportOverrides) => void;
}): React.JSX.Element {
  const [showRejected, setShowRejected] = useState(false);
  const delimiterUsed = f.delimiter ?? forced.delimiter;
  const encodingUsed = f.encoding ?? forced.encoding;
  const [override, setOverride] = useState(false);
  const [delimiter, setDelimiter] = useState<Delimiter>(f.delimiter ?? ',');
  const [encoding, setEncoding] = useState<EncodingName>(f.encoding ?? 'utf-8');
  const [timeZone, setTimeZone] = useState(forced.timeZone ?? (f.timezoneAssumed || 'UTC'));
  // Records of this file are stored (now or by the identical earlier import): reading it again replaces them.
  const replaces =
    f.importId != null && (f.imported > 0 || f.alreadyImported !== undefined) ? f.importId : undefined;

  return (
    <li className={`file-summary${f.error ? ' failed' : ''}`} data-testid="file-summary">
      <div className="file-summary-head">
        <strong title={f.file}>{fileName(f.file)}</strong>
        <span className="muted">{formatDuration(f.durationMs)}</span>
      </div>
      {f.alreadyImported && (
        <div className="already-imported" role="status" data-testid="already-imported">
          <p>
            Already imported {formatTime(f.alreadyImported.finishedAt)} (import #{f.alreadyImported.importId}
            ): the same size and content, so nothing was read now. The counts are that import&apos;s.
          </p>
          <button type="button" onClick={() => onReimport(f.file, { force: true })}>
            Re-check anyway
          </button>
        </div>
      )}
      {f.error ? (
        <p className="inline-error">{f.error}</p>
      ) : (
        <dl className="stats">
          <div>
            <dt>Imported</dt>
            <dd data-testid="imported">{formatCount(f.imported)}</dd>
          </div>
          <div>
            <dt>Duplicates skipped</dt>
            <dd>{formatCount(f.duplicates)}</dd>
          </div>
          <div className={f.rejected ? 'warn' : ''}>
            <dt>Rejected</dt>
            <dd data-testid="rejected">{formatCount(f.rejected)}</dd>
          </div>
          {f.records !== undefined && (
            <div>
              <dt>Records read</dt>
              <dd data-testid="records">{formatCount(f.records)}</dd>
            </div>
          )}
        </dl>
      )}
      {f.encodingRejected !== undefined && f.encodingRejected > 0 && (
        <p className="warn" data-testid="encoding-rejected">
          {formatCount(f.encodingRejected)} of the rejected rows hold a byte that is not valid UTF-8; the rest
          of the file was read as UTF-8. Their lines and byte offsets are in the rejected rows.
        </p>
      )}
      {f.encodingSwitchedAt !== undefined && (
        <p className="muted" data-testid="encoding-switched">
          Plain ASCII up to byte {formatCount(f.encodingSwitchedAt)}, Windows-1252 from there on: the file was
          read as Windows-1252.
        </p>
      )}
      {f.sheets ? (
        // An Excel workbook: no delimiter or encoding to detect; which sheets were read instead.
        <p className="muted detected" data-testid="sheets">
          Excel workbook · sheets imported:{' '}
          {f.sheets
            .filter((s) => s.imported)
            .map((s) => s.name)
            .join(', ') || 'none'}
          {f.sheets
            .filter((s) => !s.imported)
            .map((s) => ` · not imported: "${s.name}" (${s.reason ?? ''})`)
            .join('')}
          {f.timezoneAssumed ? ` · times read as ${f.timezoneAssumed}` : ''}
          {f.unknownColumns?.length ? ` · ignored columns: ${f.unknownColumns.join(', ')}` : ''}
        </p>
      ) : (
        <p className="muted detected">
          {forced.delimiter || forced.encoding ? 'Read as' : 'Detected'}:{' '}
          {delimiterUsed ? DELIMITER_LABEL[delimiterUsed] : 'unknown delimiter'} ·{' '}
          {encodingUsed ?? 'unknown encoding'}
          {f.timezoneAssumed ? ` · times read as ${f.timezoneAssumed}` : ''}
          {f.unknownColumns?.length ? ` · ignored columns: ${f.unknownColumns.join(', ')}` : ''}
        </p>
      )}
      {f.unknownValues && Object.keys(f.unknownValues).length > 0 && (
        <ul className="unknown-values" data-testid="unknown-values">
          {Object.entries(f.unknownValues).map(([column, u]) => (
            <li key={column}>
              {columnById(column as ColumnId).header}: {formatCount(u.rows)} {u.rows === 1 ? 'row' : 'rows'}{' '}
              with values the portal does not document, kept and searchable: {u.values.join(', ')}
            </li>
          ))}
        </ul>
      )}
      <div className="file-summary-actions">
        {f.rejected > 0 && f.importId != null && (
          <button type="button" onClick={() => setShowRejected((s) => !s)} aria-expanded={showRejected}>
            {showRejected ? 'Hide rejected rows' : `View ${formatCount(f.rejected)} rejected rows`}
          </button>
        )}
        {!f.sheets && (
          <button
            type="button"
            className="link"
            onClick={() => setOverride((o) => !o)}
            aria-expanded={override}
          >
            Wrong delimiter, encoding or time zone?
          </button>
        )}
      </div>
      {override && (
        <div className="override">
          <label>
            Delimiter{' '}
            <select value={delimiter} onChange={(e) => setDelimiter(e.target.value as Delimiter)}>
              {DELIMITERS.map((d) => (
                <option key={d} value={d}>
                  {DELIMITER_LABEL[d]}
                </option>
              ))}
            </select>
          </label>
          <label>
            Encoding{' '}
            <select value={encoding} onChange={(e) => setEncoding(e.target.value as EncodingName)}>
              {ENCODINGS.map((x) => (
                <option key={x} value={x}>
                  {x}
                </option>
              ))}
            </select>
          </label>
          <ZoneSelect
            label="Times without a zone are in"
            value={timeZone}
            onChange={setTimeZone}
            offerLocal={false}
          />
          {replaces !== undefined && (
            <p className="muted override-note">
              Times without a zone were read as {f.timezoneAssumed || forced.timeZone || 'UTC'}. Reading the
              file again replaces import #{replaces}: its records are deleted once the new ones are stored.
            </p>
          )}
          <button
            type="button"
            onClick={() =>
              onReimport(f.file, {
                delimiter,
                encoding,
                timeZone,
                ...(replaces !== undefined ? { replaces } : {}),
              })
            }
          >
            {replaces !== undefined ? `Replace import #${replaces}` : 'Re-import with these settings'}
          </button>
        </div>
      )}
      {showRejected && f.importId != null && <RejectedRows importId={f.importId} notify={notify} />}
    </li>
  );
}

export function ImportSummary({
  result,
  request,
  notify,
  onReimport,
  onClose,
}: {
  readonly result: ImportResult;
  readonly request: ImportRequest;
  readonly notify: (t: string) => void;
  readonly onReimport: (path: string, overrides: ImportOverrides) => void;
  readonly onClose: () => void;
}): React.JSX.Element {
  // Files recognised as already imported carry the earlier import's counts; they add nothing now.
  const fresh = result.files.filter((f) => f.alreadyImported === undefined);
  const imported = fresh.reduce((n, f) => n + f.imported, 0);
  const rejected = fresh.reduce((n, f) => n + f.rejected, 0);
  const already = result.files.length - fresh.length;
  return (
    <div className="import-summary" data-testid="import-summary">
      <p className="summary-line">
        {result.cancelled ? 'Import cancelled. ' : ''}
        {formatCount(imported)} records imported
        {rejected ? `, ${formatCount(rejected)} rows rejected` : ''}
        {already ? `; ${already} ${already === 1 ? 'file was' : 'files were'} already imported` : ''}.
      </p>
      <ul className="file-summary-list">
        {result.files.map((f) => (
          <FileSummary key={f.file} f={f} forced={request} notify={notify} onReimport={onReimport} />
        ))}
      </ul>
      <div className="dialog-actions">
        <button type="button" className="primary" onClick={onClose}>
          Show records
        </button>
      </div>
    </div>
  );
}
