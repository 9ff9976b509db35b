import type { App } from '@slack/bolt';
import { t } from '../../blocks/i18n/index.js';
import { ACTION, VIEW } from '../../blocks/ids.js';
import { salesImportedText, salesRejectedText } from '../../blocks/statistics.js';
import { importSalesFile } from '../../domain/statistics/import-sales.js';
import type { HandlerDeps } from '../deps.js';
import { submission } from './submission.js';

/** The largest upload read (a sheet of 200,000 rows is a few MB). */
const MAX_BYTES = 20 * 1024 * 1024;

interface UploadedFile {
  name?: string;
  url_private_download?: string;
  url_private?: string;
}

/**
 * `/kh import sales` (DB-10, STAT-4): the uploaded file is fetched from Slack with the bot's
 * token, read and checked whole; the modal then shows every problem (nothing saved) or the
 * summary of what was saved.
 */
export function registerSalesImportForm(app: App, deps: HandlerDeps): void {
  submission(app, deps, VIEW.salesImportForm, { errorField: 'file' }, async ({ session, locale, view, client }) => {
    const files = (view.state.values.file?.[ACTION.fieldValue] as { files?: UploadedFile[] } | undefined)?.files ?? [];
    const file = files[0];
    const url = file?.url_private_download ?? file?.url_private;
    if (!file || !url) return { errors: { file: t(locale, 'fieldError.required') } };
    const response = await fetch(url, { headers: { authorization: `Bearer ${client.token ?? ''}` } });
    const bytes = response.ok ? new Uint8Array(await response.arrayBuffer()) : null;
    if (!bytes || bytes.byteLength > MAX_BYTES) return { errors: { file: t(locale, 'sales.download_failed') } };
    const outcome = await importSalesFile(session.ctx, { name: file.name ?? 'upload', bytes });
    return {
      done: outcome.ok ? salesImportedText(locale, outcome.imported) : salesRejectedText(locale, outcome.problems),
    };
  });
}
