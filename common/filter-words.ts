/** The filter in words: the case report's "question" line and the report dialog. Plain TS, no Node, no DOM. */
import { columnById } from './columns';
import type { ColumnCondition, FilterModel } from './contract';

export function isoMinute(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function condition(c: ColumnCondition): string {
  const name = columnById(c.column).header;
  switch (c.type) {
    case 'text': {
      const verb = { contains: 'contains', equals: 'is', startsWith: 'starts with' }[c.op];
      const negated = { contains: 'does not contain', equals: 'is not', startsWith: 'does not start with' }[
        c.op
      ];
      return `${name} ${c.negate ? negated : verb} "${c.value}"`;
    }
    case 'enum':
      return `${name} ${c.negate ? 'is none of' : c.values.length > 1 ? 'is one of' : 'is'} ${c.values.join(', ')}`;
    case 'number':
      return `${name} ${c.min !== undefined ? `>= ${c.min}` : ''}${c.min !== undefined && c.max !== undefined ? ' and ' : ''}${c.max !== undefined ? `<= ${c.max}` : ''}`;
    case 'time':
      return `${name} ${c.from !== undefined ? `from ${isoMinute(c.from)}` : ''}${c.from !== undefined && c.to !== undefined ? ' ' : ''}${c.to !== undefined ? `before ${isoMinute(c.to)}` : ''}`;
  }
}

/** "All records where the search is "…", Status is ERROR, created from … before …". */
export function describeFilter(filter: FilterModel): string {
  const parts: string[] = [];
  if (filter.q?.trim()) parts.push(`the search is “${filter.q.trim()}”`);
  for (const c of filter.conditions ?? []) parts.push(condition(c));
  if (filter.timeFrom !== undefined) parts.push(`created from ${isoMinute(filter.timeFrom)}`);
  if (filter.timeTo !== undefined) parts.push(`created before ${isoMinute(filter.timeTo)}`);
  return parts.length === 0 ? 'All records of the workspace' : `Records where ${parts.join(', ')}`;
}
