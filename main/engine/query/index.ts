// STUB (owned by the query-engine work): the query functions the handler table calls.
import type { Database } from 'better-sqlite3';
import type { Drilldown, Facets, FilterModel, Histogram, LookupLine, PageRequest, PageResult } from '../../../common/contract';
import { EngineError } from '../errors';

const todo = (): never => {
  throw new EngineError('INTERNAL', 'query not implemented yet');
};
export function queryPage(_db: Database, _req: PageRequest): PageResult {
  return todo();
}
export function countRows(_db: Database, _filter: FilterModel): number {
  return todo();
}
export function getFacets(_db: Database, _filter: FilterModel, _top: number): Facets {
  return todo();
}
export function getHistogram(_db: Database, _filter: FilterModel, _buckets: number): Histogram {
  return todo();
}
export function getDrilldown(_db: Database, _correlationId: string): Drilldown {
  return todo();
}
export function lookupAddresses(_db: Database, _addresses: readonly string[]): LookupLine[] {
  return todo();
}
