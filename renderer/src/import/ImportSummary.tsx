/**
 * What an import did, per file: rows imported, duplicates, rejected (viewable), the detected
 * delimiter/encoding/time zone, and a way to re-import a file with a different delimiter or encoding.
 */
import { useState } from 'react';
import type {
  Delimiter,
  EncodingName,
  FileImportResult,
  ImportRequest,
  ImportResult,
} from '../../../common/contract';
import { fileName, formatCount, formatDuration } from '../format';
import { ZoneSelect } from '../zone/ZoneSelect';
import { RejectedRows } from './RejectedRows';

export const DELIMITER_LABEL: Record<string, string> = {
  ',': 'Comma (,)',
  ';': 'Semicolon (;)',
  '\t': 'Tab',
  '|': 'Pipe (|)',
};
const DELIMITERS: readonly Delimiter[] = [',', ';', '\t', '|'];

export interface ReimportSettings {
  readonly delimiter: Delimiter;
  readonly encoding: EncodingName;
  readonly timeZone: string;
}
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
  readonly onReimport: (path: string, settings: ReimportSettings) => void;
}): React.JSX.Element {
  const [showRejected, setShowRejected] = useState(false);
  const delimiterUsed = f.delimiter ?? forced.delimiter;
  const encodingUsed = f.encoding ?? forced.encoding;
  const [override, setOverride] = useState(false);
  const [delimiter, setDelimiter] = useState<Delimiter>(f.delimiter ?? ',');
  const [encoding, setEncoding] = useState<EncodingName>(f.encoding ?? 'utf-8');
  const [timeZone, setTimeZone] = useState(forced.timeZone ?? 'UTC');

  return (
    <li className={`file-summary${f.error ? ' failed' : ''}`} data-testid="file-summary">
      <div className="file-summary-head">
        <strong title={f.file}>{fileName(f.file)}</strong>
        <span className="muted">{formatDuration(f.durationMs)}</span>
      </div>
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
        </dl>
      )}
      <p className="muted detected">
        {forced.delimiter || forced.encoding ? 'Read as' : 'Detected'}:{' '}
        {delimiterUsed ? DELIMITER_LABEL[delimiterUsed] : 'unknown delimiter'} ·{' '}
        {encodingUsed ?? 'unknown encoding'}
        {f.timezoneAssumed ? ` · times read as ${f.timezoneAssumed}` : ''}
        {f.unknownColumns?.length ? ` · ignored columns: ${f.unknownColumns.join(', ')}` : ''}
      </p>
      <div className="file-summary-actions">
        {f.rejected > 0 && f.importId != null && (
          <button type="button" onClick={() => setShowRejected((s) => !s)} aria-expanded={showRejected}>
            {showRejected ? 'Hide rejected rows' : `View ${formatCount(f.rejected)} rejected rows`}
          </button>
        )}
        <button
          type="button"
          className="link"
          onClick={() => setOverride((o) => !o)}
          aria-expanded={override}
        >
          Wrong delimiter, encoding or time zone?
        </button>
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
          {f.imported === 0 ? (
            <ZoneSelect
              label="Times without a zone are in"
              value={timeZone}
              onChange={setTimeZone}
              offerLocal={false}
            />
          ) : (
            <p className="muted override-note">
              Times without a zone were read as {f.timezoneAssumed || forced.timeZone || 'UTC'}. To read them
              in another zone, import the file into a new workspace: its records are stored already and would
              be stored twice with other times.
            </p>
          )}
          <button type="button" onClick={() => onReimport(f.file, { delimiter, encoding, timeZone })}>
            Re-import with these settings
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
  readonly onReimport: (path: string, settings: ReimportSettings) => void;
  readonly onClose: () => void;
}): React.JSX.Element {
  const imported = result.files.reduce((n, f) => n + f.imported, 0);
  const rejected = result.files.reduce((n, f) => n + f.rejected, 0);
  return (
    <div className="import-summary" data-testid="import-summary">
      <p className="summary-line">
        {result.cancelled ? 'Import cancelled. ' : ''}
        {formatCount(imported)} records imported
        {rejected ? `, ${formatCount(rejected)} rows rejected` : ''}.
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
