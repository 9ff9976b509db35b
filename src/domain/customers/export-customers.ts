import type { UseCaseContext } from '../context.js';
import { DomainError } from '../errors.js';
import { readConfig } from '../settings/config-values.js';
import { runUseCase } from '../use-case.js';
import { FIND_MAX_QUERY_LENGTH, type FoundCustomer, searchVisibleCustomers } from './find-customers.js';
import { normalizeQuery } from './search-text.js';

export interface ExportResult {
  query: string;
  items: FoundCustomer[];
  truncated: boolean;
  /** The most rows one export carries (configuration: export_max_rows); narrower queries export the rest. */
  maxRows: number;
}

/**
 * `/kh export [text]`: the customer register (客户名册, DB-11) as the viewer may see it — the
 * same filter and masking as search, every classified customer in it audited as exported
 * (SEC-16). A classified customer is written out only under an approved, unexpired copy
 * request (INFO-23, SEC-8; the exporter is its handler), otherwise masked. Without text,
 * every customer the viewer may read, in acquisition order; like search, one they may not
 * read appears (masked) only when its exact code is asked for (SEC-3).
 */
export async function exportCustomers(ctx: UseCaseContext, input: { query: string }): Promise<ExportResult> {
  const query = normalizeQuery(input.query);
  if ([...query].length > FIND_MAX_QUERY_LENGTH) {
    throw new DomainError('invalid_input', { reason: 'query_length', max: FIND_MAX_QUERY_LENGTH });
  }
  return runUseCase(ctx, async (scope) => {
    const maxRows = (await readConfig(scope.tx)).export_max_rows;
    const { items, hasMore } = await searchVisibleCustomers(scope, { query, offset: 0, limit: maxRows, via: 'export' });
    // The export itself is on the record, whatever it contains (each classified row is too).
    await scope.audit({
      action: 'customer.register_exported',
      subjectType: 'export',
      subjectId: null,
      details: {
        query,
        rows: items.length,
        masked: items.filter((item) => item.visibility === 'masked').length,
        truncated: hasMore,
      },
    });
    return { query, items, truncated: hasMore, maxRows };
  });
}
