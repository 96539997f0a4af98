/** The query functions the handler table calls; each takes the database first. */
export { countRows, queryPage } from './paging';
export { getFacets } from './facets';
export { getHistogram } from './histogram';
export { getDrilldown } from './drilldown';
export { lookupAddresses } from './lookup';
export { updateSearchIndex } from './search-index';
export { compileCount, compileSelect } from './select';
