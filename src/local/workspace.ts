/**
 * The local workspace's state: what a Slack workspace holds for the bot and the people in
 * it — channels and DMs with their messages (threads, ephemeral replies, updates), the
 * modals each person has open, each person's App Home, and files. In memory: the ledger
 * itself lives in the bot's database; a restart starts the conversations afresh.
 *
 * Every change is published to the page's listeners (server-sent events), filtered to what
 * that person may see: their DM, every channel, and ephemeral messages meant for them.
 */
import { randomBytes } from 'node:crypto';

export interface LocalPerson {
  id: string;
  name: string;
  roles: string[];
  department: string | null;
}

export interface LocalChannel {
  id: string;
  name: string;
  /** What the bot posts there (its `/kh config` purpose), shown beside the name. */
  purpose?: string;
}

export interface LocalFile {
  id: string;
  name: string;
  title: string;
  bytes: Buffer;
  /** Who may download it from the page: the uploader, or everyone who sees a message holding it. */
  owner: string;
}

export interface LocalMessage {
  ts: string;
  channel: string;
  /** The poster: the bot's user id or a person's. */
  user: string;
  text: string;
  blocks?: unknown[];
  threadTs?: string;
  /** Set for an ephemeral message: the only person who sees it. */
  ephemeralFor?: string;
  files?: { id: string; name: string; title: string; size: number }[];
  edited?: boolean;
  deleted?: boolean;
}

export interface OpenView {
  id: string;
  view: Record<string, unknown>;
}

export type WorkspaceEvent =
  | { type: 'message'; message: LocalMessage }
  | { type: 'views'; user: string; views: OpenView[] }
  | { type: 'home'; user: string; view: Record<string, unknown> }
  | { type: 'channel'; channel: LocalChannel };

/** Slack's trigger ids expire after 3 seconds. */
const TRIGGER_LIFETIME_MS = 3_000;

export class Workspace {
  readonly botUserId: string;
  private readonly people = new Map<string, LocalPerson>();
  private readonly channels = new Map<string, LocalChannel>();
  private readonly messages = new Map<string, LocalMessage[]>();
  private readonly views = new Map<string, OpenView[]>();
  private readonly homes = new Map<string, Record<string, unknown>>();
  private readonly files = new Map<string, LocalFile>();
  private readonly triggers = new Map<string, { user: string; expires: number }>();
  private readonly listeners = new Set<(event: WorkspaceEvent) => void>();
  private counter = 0;
  private lastTs = 0;

  constructor(options: { botUserId: string; people: LocalPerson[]; channels: LocalChannel[] }) {
    this.botUserId = options.botUserId;
    for (const person of options.people) this.people.set(person.id, person);
    for (const channel of options.channels) this.channels.set(channel.id, channel);
  }

  listPeople(): LocalPerson[] {
    return [...this.people.values()];
  }

  person(id: string): LocalPerson | undefined {
    return this.people.get(id);
  }

  listChannels(): LocalChannel[] {
    return [...this.channels.values()];
  }

  /** A person's DM with the bot. */
  dmOf(user: string): string {
    return `D${user}`;
  }

  /** The person whose DM this is, if it is one. */
  dmOwner(channel: string): string | undefined {
    const user = channel.startsWith('D') ? channel.slice(1) : undefined;
    return user && this.people.has(user) ? user : undefined;
  }

  /**
   * Where the Web API's `channel` argument points: a user id means that person's DM (as
   * chat.postMessage does); an unknown C…/G… id becomes a channel named by its id, so a post
   * to a channel configured by hand is still seen.
   */
  resolveChannel(channel: string): string | undefined {
    if (this.people.has(channel)) return this.dmOf(channel);
    if (this.dmOwner(channel) || this.channels.has(channel)) return channel;
    if (/^[CG][A-Z0-9]{2,30}$/.test(channel)) {
      const created = { id: channel, name: channel.toLowerCase() };
      this.channels.set(channel, created);
      this.publish({ type: 'channel', channel: created });
      return channel;
    }
    return undefined;
  }

  /** May this person see this channel's messages? Their own DM, and every channel. */
  canSee(user: string, channel: string): boolean {
    const owner = this.dmOwner(channel);
    return owner ? owner === user : this.channels.has(channel);
  }

  /** The one rule of who sees a message: its channel's people, and for an ephemeral one its person alone. */
  visibleTo(user: string, message: LocalMessage): boolean {
    return (
      !message.deleted &&
      this.canSee(user, message.channel) &&
      (message.ephemeralFor === undefined || message.ephemeralFor === user)
    );
  }

  /** Messages of a channel as this person sees them, oldest first. */
  history(user: string, channel: string): LocalMessage[] {
    return (this.messages.get(channel) ?? []).filter((m) => this.visibleTo(user, m));
  }

  message(channel: string, ts: string): LocalMessage | undefined {
    return this.messages.get(channel)?.find((m) => m.ts === ts);
  }

  /** Slack timestamps: seconds with six digits, unique and increasing within the workspace. */
  private nextTs(): string {
    const micros = Math.max(Date.now() * 1000, this.lastTs + 1);
    this.lastTs = micros;
    return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
  }

  post(message: Omit<LocalMessage, 'ts'>): LocalMessage {
    const posted: LocalMessage = { ...message, ts: this.nextTs() };
    const list = this.messages.get(posted.channel) ?? [];
    list.push(posted);
    this.messages.set(posted.channel, list);
    this.publish({ type: 'message', message: posted });
    return posted;
  }

  update(channel: string, ts: string, change: Partial<Pick<LocalMessage, 'text' | 'blocks' | 'deleted'>>) {
    const message = this.message(channel, ts);
    if (!message) return undefined;
    Object.assign(message, change, { edited: true });
    if (change.blocks === undefined && 'blocks' in change) delete message.blocks;
    this.publish({ type: 'message', message });
    return message;
  }

  newId(prefix: string): string {
    return `${prefix}${(++this.counter).toString(36).toUpperCase()}${randomBytes(3).toString('hex').toUpperCase()}`;
  }

  /** A trigger id for an interaction of this person, valid for three seconds (views.open). */
  trigger(user: string): string {
    const id = `${++this.counter}.${randomBytes(6).toString('hex')}`;
    this.triggers.set(id, { user, expires: Date.now() + TRIGGER_LIFETIME_MS });
    return id;
  }

  /** The person a trigger id was made for; a trigger opens one view only, as in Slack. */
  useTrigger(id: string): string | undefined {
    const trigger = this.triggers.get(id);
    this.triggers.delete(id);
    for (const [other, { expires }] of this.triggers) if (expires < Date.now()) this.triggers.delete(other);
    if (!trigger || trigger.expires < Date.now()) return undefined;
    return trigger.user;
  }

  openViews(user: string): OpenView[] {
    return this.views.get(user) ?? [];
  }

  /** views.open replaces what is open; views.push stacks on top (Slack allows three). */
  openView(user: string, view: Record<string, unknown>, push: boolean): OpenView | undefined {
    const stack = push ? [...this.openViews(user)] : [];
    if (stack.length >= 3) return undefined;
    const opened = { id: this.newId('V'), view };
    stack.push(opened);
    this.setViews(user, stack);
    return opened;
  }

  /** views.update by id: the view keeps its place in its person's stack. */
  updateView(viewId: string, view: Record<string, unknown>): { user: string; view: OpenView } | undefined {
    for (const [user, stack] of this.views) {
      const index = stack.findIndex((v) => v.id === viewId);
      if (index < 0) continue;
      const updated = { id: viewId, view };
      this.setViews(
        user,
        stack.map((v, i) => (i === index ? updated : v)),
      );
      return { user, view: updated };
    }
    return undefined;
  }

  findView(user: string, viewId: string): OpenView | undefined {
    return this.openViews(user).find((v) => v.id === viewId);
  }

  /** Replaces the person's top view (`response_action: update`). */
  replaceTop(user: string, view: Record<string, unknown>): void {
    const stack = this.openViews(user);
    const top = stack[stack.length - 1];
    if (top) this.setViews(user, [...stack.slice(0, -1), { id: top.id, view }]);
  }

  /** Closes the top view (or, with `all`, every view) of a person. */
  closeView(user: string, all = false): void {
    const stack = this.openViews(user);
    this.setViews(user, all ? [] : stack.slice(0, -1));
  }

  private setViews(user: string, stack: OpenView[]): void {
    this.views.set(user, stack);
    this.publish({ type: 'views', user, views: stack });
  }

  home(user: string): Record<string, unknown> | undefined {
    return this.homes.get(user);
  }

  publishHome(user: string, view: Record<string, unknown>): void {
    this.homes.set(user, view);
    this.publish({ type: 'home', user, view });
  }

  addFile(file: Omit<LocalFile, 'id'>): LocalFile {
    const stored = { ...file, id: this.newId('F') };
    this.files.set(stored.id, stored);
    return stored;
  }

  file(id: string): LocalFile | undefined {
    return this.files.get(id);
  }

  /** A person may download a file they uploaded, or one on a message they see. */
  canDownload(user: string, fileId: string): boolean {
    if (this.files.get(fileId)?.owner === user) return true;
    for (const list of this.messages.values()) {
      if (list.some((m) => this.visibleTo(user, m) && m.files?.some((f) => f.id === fileId))) return true;
    }
    return false;
  }

  subscribe(listener: (event: WorkspaceEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private publish(event: WorkspaceEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  /** Whether a person's page should receive this event. */
  concerns(user: string, event: WorkspaceEvent): boolean {
    switch (event.type) {
      case 'message':
        // A deleted message is still news to those who saw it: the page removes it.
        return this.visibleTo(user, { ...event.message, deleted: false });
      case 'views':
      case 'home':
        return event.user === user;
      case 'channel':
        return true;
    }
  }
}
