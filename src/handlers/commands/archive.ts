import {
  DocumentFormMetadata,
  documentFormView,
  locatedText,
  locationAddedText,
  locationsText,
  reconciliationText,
} from '../../blocks/archive.js';
import { archiveStatisticsText, archiveStatisticsXlsx } from '../../blocks/archive-statistics.js';
import { escapeMrkdwn, t } from '../../blocks/i18n/index.js';
import { volumeSheetBlocks, volumeSheetText, volumeSheetXlsx } from '../../blocks/volume-sheet.js';
import { locate } from '../../domain/archive/locate.js';
import { addLocation, listLocations } from '../../domain/archive/locations.js';
import { reconcileArchive } from '../../domain/archive/reconcile-archive.js';
import { shelveVolume } from '../../domain/archive/shelve-volume.js';
import { getVolumeSheet } from '../../domain/archive/volume-sheet.js';
import { parseCode } from '../../domain/codes.js';
import { archiveStatistics } from '../../domain/custody/archive-statistics.js';
import { sendFileToDm } from '../reply.js';
import type { CommandContext } from './command-context.js';

/** `/kh file <customer code>`: the filing form (the domain checks who may file and what, on submit). */
export async function file({ session, args, reply, client, triggerId }: CommandContext): Promise<void> {
  const code = parseCode('customer', args);
  if (!code) return void (await reply({ text: t(session.locale, 'usage.file') }));
  const metadata = DocumentFormMetadata.parse({ code });
  await client.views.open({ trigger_id: triggerId, view: documentFormView(session.locale, metadata) });
}

/** `/kh where <customer|volume|document code>`. */
export async function where({ session, args, reply }: CommandContext): Promise<void> {
  if (!args || /\s/.test(args)) return void (await reply({ text: t(session.locale, 'usage.where') }));
  const located = await locate(session.ctx, args);
  await reply({ text: locatedText(session.locale, located) });
}

/** `/kh sheet <volume code>`: the two sheets in Slack, and as an .xlsx in the person's DM. */
export async function sheet({ session, args, reply, client }: CommandContext): Promise<void> {
  const code = parseCode('volume', args);
  if (!code) return void (await reply({ text: t(session.locale, 'usage.sheet') }));
  const data = await getVolumeSheet(session.ctx, code);
  await reply({ text: volumeSheetText(session.locale, data), blocks: volumeSheetBlocks(session.locale, data) });
  await sendFileToDm(client, session.person.slackUserId, {
    bytes: await volumeSheetXlsx(session.locale, data),
    filename: `${data.volume.code}.xlsx`,
    title: data.volume.code,
    comment: t(session.locale, 'sheet.sent'),
  });
}

/** `/kh location add <path> [classified]` and `/kh location list [path] [page]`. */
export async function location({ session, args, reply }: CommandContext): Promise<void> {
  const [verb, ...rest] = args.split(/\s+/).filter(Boolean);
  if (verb === 'add' && rest.length >= 1 && rest.length <= 2 && (rest[1] === undefined || rest[1] === 'classified')) {
    const added = await addLocation(session.ctx, { path: rest[0] ?? '', classified: rest[1] === 'classified' });
    return void (await reply({ text: locationAddedText(session.locale, added) }));
  }
  if (verb === 'list' && rest.length <= 2) {
    const page = rest.length > 0 && /^\d+$/.test(rest.at(-1) ?? '') ? Number(rest.pop()) : 1;
    const list = await listLocations(session.ctx, { under: rest[0], page });
    return void (await reply({ text: locationsText(session.locale, list) }));
  }
  await reply({ text: t(session.locale, 'usage.location') });
}

/** `/kh shelve <volume code> <box path>`. */
export async function shelve({ session, args, reply }: CommandContext): Promise<void> {
  const [first, boxPath, extra] = args.split(/\s+/).filter(Boolean);
  const volumeCode = first ? parseCode('volume', first) : undefined;
  if (!volumeCode || !boxPath || extra) return void (await reply({ text: t(session.locale, 'usage.shelve') }));
  const moved = await shelveVolume(session.ctx, { volumeCode, boxPath });
  await reply({
    text: t(session.locale, 'shelve.done', {
      volume: moved.volumeCode,
      from: escapeMrkdwn(moved.from),
      to: escapeMrkdwn(moved.to),
    }),
  });
}

/** `/kh reconcile`. */
export async function reconcile({ session, reply }: CommandContext): Promise<void> {
  const result = await reconcileArchive(session.ctx);
  await reply({ text: reconciliationText(session.locale, result) });
}

/** `/kh archive [period]` (ARCH-25): the archive's statistics here, and as .xlsx in the DM. */
export async function archiveStats({ session, args, reply, client }: CommandContext): Promise<void> {
  const words = args.split(/\s+/).filter(Boolean);
  if (words.length > 1) return void (await reply({ text: t(session.locale, 'usage.archive') }));
  const stats = await archiveStatistics(session.ctx, words[0] ?? null);
  await reply({ text: `${archiveStatisticsText(session.locale, stats)}\n${t(session.locale, 'archive.sent')}` });
  await sendFileToDm(client, session.person.slackUserId, {
    bytes: await archiveStatisticsXlsx(session.locale, stats),
    filename: `archive-${stats.period.key}.xlsx`,
    title: t(session.locale, 'archive.sheet'),
  });
}
