import type { App } from '@slack/bolt';
import { z } from 'zod';
import { t } from '../../blocks/i18n/index.js';
import { ACTION, VIEW } from '../../blocks/ids.js';
import { salesImportedText, salesRejectedText, targetsText } from '../../blocks/statistics.js';
import { importSalesFile } from '../../domain/statistics/import-sales.js';
import { importTargetsFile } from '../../domain/statistics/import-targets.js';
import type { HandlerDeps } from '../deps.js';
import { parseJsonField } from '../reply.js';
import { submission } from './submission.js';

const ImportFormMetadata = z.object({ kind: z.enum(['sales', 'targets']) });

/** The largest upload read (a sheet of 200,000 rows is a few MB). */
const MAX_BYTES = 20 * 1024 * 1024;

/**
 * The uploaded file's bytes, fetched with the bot's token — only from Slack itself (the file
 * host, or the Web API's own origin where SLACK_API_URL points elsewhere), never following a
 * redirect, and read no further than MAX_BYTES. Undefined when any of that fails.
 */
async function download(url: string, client: { token?: string; slackApiUrl: string }): Promise<Uint8Array | undefined> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return undefined;
  }
  const api = new URL(client.slackApiUrl);
  const fromSlack = target.protocol === 'https:' && target.hostname === 'files.slack.com';
  if (!fromSlack && target.origin !== api.origin) return undefined;
  const response = await fetch(target, {
    headers: { authorization: `Bearer ${client.token ?? ''}` },
    redirect: 'error',
  }).catch(() => undefined);
  if (!response?.ok || !response.body) return undefined;
  if (Number(response.headers.get('content-length') ?? 0) > MAX_BYTES) return undefined;
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += chunk.byteLength;
    if (size > MAX_BYTES) return undefined;
    chunks.push(chunk);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

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
    const bytes = await download(url, client);
    if (!bytes) return { errors: { file: t(locale, 'sales.download_failed') } };
    if (ImportFormMetadata.safeParse(parseJsonField(view.private_metadata)).data?.kind === 'targets') {
      return { done: targetsText(locale, await importTargetsFile(session.ctx, { bytes })) };
    }
    const outcome = await importSalesFile(session.ctx, { name: file.name ?? 'upload', bytes });
    return {
      done: outcome.ok ? salesImportedText(locale, outcome.imported) : salesRejectedText(locale, outcome.problems),
    };
  });
}
