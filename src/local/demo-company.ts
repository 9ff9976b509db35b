/**
 * The company the local workspace shows: `cli seed demo`'s people and customers (loaded on
 * the first local start, into an empty ledger only), and a channel for each of the bot's
 * posting purposes, configured through `/kh config`'s own use case as the demo admin.
 */

import { DEMO_PEOPLE, seedDemo } from '../demo/seed-demo.js';
import type { Db } from '../domain/context.js';
import { type ChannelPurpose, listChannels, setChannel } from '../domain/settings/settings.js';
import { LocalWorkspaceError } from './server.js';
import type { LocalChannel, LocalPerson } from './workspace.js';

/** The channels of the local workspace; each purpose's channel is configured when unset. */
const LOCAL_CHANNELS: (LocalChannel & { for?: ChannelPurpose })[] = [
  { id: 'CLOCALGENERAL', name: 'general' },
  { id: 'CLOCALGMOFFICE', name: 'gm-office', for: 'gm_office', purpose: 'gm_office' },
  { id: 'CLOCALARCHIVE', name: 'archive', for: 'archive', purpose: 'archive' },
  { id: 'CLOCALALERTS', name: 'alerts', for: 'alerts', purpose: 'alerts' },
  { id: 'CLOCALREPORTS', name: 'reports', for: 'reports', purpose: 'reports' },
];

export interface DemoCompany {
  people: LocalPerson[];
  channels: LocalChannel[];
  seeded: boolean;
}

/**
 * Loads the demo company into an empty ledger. A ledger that holds anyone else is real: the
 * page lets anyone act as anyone, so it is opened only when asked for by name (`npm run
 * local`), never because Slack credentials went missing.
 */
export async function prepareDemoCompany(
  db: Db,
  options: { now: Date; timeZone: string; askedFor: boolean },
): Promise<DemoCompany> {
  const others = await db.person.count({ where: { slackUserId: { notIn: DEMO_PEOPLE.map((p) => p.id) } } });
  if (others > 0 && !options.askedFor) {
    throw new LocalWorkspaceError(
      `no Slack credentials are set, and this ledger holds ${others} people besides the demo company's: ` +
        'the local workspace, where anyone may act as anyone, is not opened on it by default. ' +
        'Set the Slack credentials (see README.md "Create the Slack app"), or run `npm run local` to open it anyway.',
    );
  }
  const empty = (await db.person.count()) === 0;
  if (empty) await seedDemo(db, { now: options.now, timeZone: options.timeZone });

  const admin = DEMO_PEOPLE.find((p) => p.roles.includes('admin'));
  const configured = await listChannels(db);
  if (admin && (await db.person.findUnique({ where: { slackUserId: admin.id } }))) {
    for (const channel of LOCAL_CHANNELS) {
      if (channel.for && !configured[channel.for]) {
        await setChannel(
          { db, now: options.now, timeZone: options.timeZone, actor: { slackUserId: admin.id } },
          channel.for,
          channel.id,
        );
        configured[channel.for] = channel.id;
      }
    }
  }
  // Channels configured by hand elsewhere are shown too, named by their id.
  const channels: LocalChannel[] = LOCAL_CHANNELS.map(({ for: _, ...channel }) => channel);
  for (const [purpose, id] of Object.entries(configured)) {
    if (id && !channels.some((c) => c.id === id)) channels.push({ id, name: id.toLowerCase(), purpose });
  }

  const people = await db.person.findMany({
    select: { slackUserId: true, displayName: true, roles: true, department: { select: { name: true } } },
    orderBy: { id: 'asc' },
  });
  return {
    seeded: empty,
    channels,
    people: people.map((p) => ({
      id: p.slackUserId,
      name: p.displayName ?? p.slackUserId,
      roles: [...p.roles],
      department: p.department?.name ?? null,
    })),
  };
}
