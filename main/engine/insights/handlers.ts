/** The insights and report channels of the engine's handler table (spread into handlers.ts). */
import type { EngineContext, EngineHandlers } from '../handlers';
import { buildReport } from '../report/report';
import { workspaceInfo } from '../workspace';
import { getDomains } from './domains';
import { getIncidents } from './incidents';
import { listTypos, suggestTypos } from './typos';

type InsightsHandlers = Pick<
  EngineHandlers,
  'insights:domains' | 'insights:incidents' | 'insights:typos' | 'insights:suggest' | 'report:html'
>;

export function insightsHandlers(ctx: EngineContext): InsightsHandlers {
  const { db } = ctx;
  return {
    'insights:domains': ({ filter, limit }) => getDomains(db, filter, limit === undefined ? {} : { limit }),
    'insights:incidents': ({ filter }) => getIncidents(db, filter),
    'insights:typos': ({ filter, limit }) => listTypos(db, filter, limit === undefined ? {} : { limit }),
    'insights:suggest': ({ addresses }) => suggestTypos(db, addresses),
    'report:html': ({ filter, rows }) =>
      buildReport(db, filter, {
        workspaceName: workspaceInfo(db, ctx.dbPath).name,
        ...(rows === undefined ? {} : { rows }),
      }),
  };
}
