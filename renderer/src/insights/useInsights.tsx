/**
 * The insights as the window wires them: toolbar buttons, incident marks under the histogram, and the
 * open view. A domain or incident clicked becomes recipient-domain picks (and the incident's hours)
 * in the view filter, so the grid, facets and histogram follow.
 */
import { useCallback, useState, type Dispatch, type ReactNode, type SetStateAction } from 'react';
import type { FilterModel } from '../../../common/contract';
import type { Incident } from '../../../common/insights';
import { DomainsView } from '../domains/DomainsView';
import type { FacetPick, ViewFilter } from '../filter';
import { IncidentStrip } from '../incidents/IncidentStrip';
import { IncidentsView } from '../incidents/IncidentsView';
import { useIncidents } from '../incidents/useIncidents';
import { ReportDialog } from '../report/ReportDialog';
import { TyposView } from '../typos/TyposView';
import { InsightsButtons, type InsightView } from './InsightsButtons';

export interface InsightsDeps {
  readonly hasData: boolean;
  readonly refresh: number;
  readonly filter: FilterModel;
  readonly count: number | null;
  readonly setView: Dispatch<SetStateAction<ViewFilter>>;
  readonly searchFor: (q: string) => void;
  readonly notify: (text: string) => void;
}

export interface Insights {
  readonly buttons: ReactNode;
  readonly marks: (from: number | null, to: number | null) => ReactNode;
  readonly views: ReactNode;
}

function domainPicks(v: ViewFilter, domains: readonly string[]): FacetPick[] {
  return [
    ...v.picks.filter((p) => p.facet !== 'to_domain'),
    ...domains.map((value) => ({ facet: 'to_domain' as const, value, exclude: false })),
  ];
}

export function useInsights(d: InsightsDeps): Insights {
  const { setView, searchFor } = d;
  const [open, setOpen] = useState<InsightView | null>(null);
  const incidents = useIncidents(d.hasData, d.refresh);
  const close = useCallback(() => setOpen(null), []);
  const filterDomains = useCallback(
    (domains: readonly string[]) => {
      setView((v) => ({ ...v, picks: domainPicks(v, domains) }));
      setOpen(null);
    },
    [setView],
  );
  const pickIncident = useCallback(
    (i: Incident) => {
      setView((v) => ({ ...v, picks: domainPicks(v, i.domains), timeFrom: i.start, timeTo: i.end }));
      setOpen(null);
    },
    [setView],
  );
  const search = useCallback(
    (q: string) => {
      setOpen(null);
      searchFor(q);
    },
    [searchFor],
  );
  const marks = useCallback(
    (from: number | null, to: number | null): ReactNode =>
      incidents && (
        <IncidentStrip incidents={incidents.incidents} from={from} to={to} onPick={pickIncident} />
      ),
    [incidents, pickIncident],
  );
  return {
    buttons: <InsightsButtons disabled={!d.hasData} onOpen={setOpen} />,
    marks,
    views: (
      <>
        {open === 'domains' && <DomainsView filter={d.filter} onClose={close} onFilter={filterDomains} />}
        {open === 'incidents' && <IncidentsView data={incidents} onClose={close} onPick={pickIncident} />}
        {open === 'typos' && <TyposView filter={d.filter} onClose={close} onSearch={search} />}
        {open === 'report' && (
          <ReportDialog filter={d.filter} count={d.count} onClose={close} notify={d.notify} />
        )}
      </>
    ),
  };
}
