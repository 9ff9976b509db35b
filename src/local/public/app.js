// The local workspace's page: a small Slack-like client. Everything a person does here goes
// to the workspace server (/local/…), which turns it into the signed request Slack would send
// the bot; what the bot posts comes back live as server-sent events (/local/events).
import { collectState, fileInputs, mrkdwnToHtml, plainOf, renderBlocks, showFieldErrors } from './blocks.js';

const $ = (id) => document.getElementById(id);
/** The server takes a POST only with this header, which another site cannot send unasked. */
const PAGE_HEADERS = { 'x-custodian-local': '1' };
const state = {
  botUserId: '',
  people: [],
  channels: [],
  names: {},
  user: '',
  /** 'home', or a channel id (a person's DM is `D<user id>`). */
  place: 'dm',
  messages: [],
  views: [],
  home: null,
  events: null,
};

async function call(path, body) {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...PAGE_HEADERS },
    body: JSON.stringify(body),
  });
  const answer = await response.json().catch(() => ({ ok: false }));
  if (!response.ok) throw new Error(answer.error || `HTTP ${response.status}`);
  return answer;
}

const dm = () => `D${state.user}`;
const channelOfPlace = () => (state.place === 'dm' ? dm() : state.place);
const initials = (name) => (name || '?').replace(/^.*\s/, '').slice(0, 2);

function personName(id) {
  if (id === state.botUserId) return 'Custodian';
  return state.names[id] || id;
}

// ---- navigation ----
function renderSidebar() {
  const select = $('person');
  select.replaceChildren(
    ...state.people.map((p) => {
      const option = document.createElement('option');
      option.value = p.id;
      option.textContent = `${p.name}${p.roles.length ? `（${p.roles.join(', ')}）` : ''}`;
      return option;
    }),
  );
  select.value = state.user;
  $('channels').replaceChildren(
    ...state.channels.map((c) => {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'nav-item';
      button.dataset.channel = c.id;
      button.textContent = `# ${c.name}`;
      if (c.purpose) {
        const purpose = document.createElement('span');
        purpose.className = 'purpose';
        purpose.textContent = c.purpose;
        button.append(purpose);
      }
      button.addEventListener('click', () => go(c.id));
      return button;
    }),
  );
  for (const item of document.querySelectorAll('.nav-item')) {
    const place = item.dataset.nav || item.dataset.channel;
    item.classList.toggle('active', place === state.place);
  }
}

function remember() {
  const url = new URL(location.href);
  url.searchParams.set('as', state.user);
  url.searchParams.set('in', state.place);
  history.replaceState(null, '', url);
}

async function go(place) {
  state.place = place;
  remember();
  renderSidebar();
  await load();
  if (place === 'home') await call('/local/home-opened', { user: state.user });
}

async function load() {
  const channel = state.place === 'home' ? dm() : channelOfPlace();
  const response = await fetch(
    `/local/history?user=${encodeURIComponent(state.user)}&channel=${encodeURIComponent(channel)}`,
  );
  const data = await response.json();
  state.messages = data.messages || [];
  state.views = data.views || [];
  state.home = data.home;
  render();
  renderModal();
}

function listen() {
  state.events?.close();
  state.events = new EventSource(`/local/events?user=${encodeURIComponent(state.user)}`);
  state.events.onmessage = (e) => {
    const event = JSON.parse(e.data);
    if (event.type === 'message') onMessage(event.message);
    else if (event.type === 'views') {
      state.views = event.views;
      renderModal();
    } else if (event.type === 'home') {
      state.home = event.view;
      if (state.place === 'home') render();
    } else if (event.type === 'channel') {
      if (!state.channels.some((c) => c.id === event.channel.id)) state.channels.push(event.channel);
      renderSidebar();
    }
  };
}

function onMessage(message) {
  if (message.channel !== channelOfPlace() || state.place === 'home') {
    markUnread(message.channel);
    return;
  }
  const index = state.messages.findIndex((m) => m.ts === message.ts);
  if (message.deleted) state.messages = state.messages.filter((m) => m.ts !== message.ts);
  else if (index >= 0) state.messages[index] = message;
  else state.messages.push(message);
  render(message.ts);
}

function markUnread(channel) {
  const selector = channel === dm() ? '[data-nav="dm"]' : `[data-channel="${CSS.escape(channel)}"]`;
  document.querySelector(selector)?.classList.add('unread');
}

// ---- messages and the home tab ----
function render(changedTs) {
  const onHome = state.place === 'home';
  $('messages').hidden = onHome;
  $('home').hidden = !onHome;
  $('composer-form').hidden = onHome;
  const channel = state.channels.find((c) => c.id === state.place);
  $('title').textContent = onHome
    ? '主页 Home'
    : state.place === 'dm'
      ? 'Custodian'
      : `# ${channel?.name ?? state.place}`;
  if (onHome) {
    const home = $('home');
    home.replaceChildren();
    if (!state.home) {
      home.innerHTML = '<p class="empty">（主页加载中… loading）</p>';
      return;
    }
    home.append(
      renderBlocks(state.home.blocks || [], {
        people: state.names,
        surface: 'home',
        onAction: (action) => act({ viewId: `VHOME${state.user}`, action }),
      }),
    );
    return;
  }
  const list = $('messages');
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  const roots = state.messages.filter((m) => !m.threadTs || !state.messages.some((p) => p.ts === m.threadTs));
  list.replaceChildren(
    ...(roots.length ? roots.map((m) => messageElement(m, changedTs)) : [emptyNote('还没有消息。试试输入 /kh help')]),
  );
  if (atBottom || changedTs) list.scrollTop = list.scrollHeight;
}

function emptyNote(text) {
  const p = document.createElement('p');
  p.className = 'empty';
  p.textContent = text;
  return p;
}

function messageElement(message, changedTs) {
  const item = document.createElement('article');
  item.className = 'message';
  item.dataset.ts = message.ts;
  if (message.ephemeralFor) item.classList.add('ephemeral');
  if (message.ts === changedTs) item.classList.add('updated');
  const avatar = document.createElement('div');
  avatar.className = `avatar${message.user === state.botUserId ? ' bot' : ''}`;
  avatar.textContent = message.user === state.botUserId ? 'C' : initials(personName(message.user));
  const body = document.createElement('div');
  const meta = document.createElement('div');
  meta.className = 'meta';
  const who = document.createElement('b');
  who.textContent = personName(message.user);
  const when = document.createElement('span');
  when.textContent = new Date(Number(message.ts) * 1000).toLocaleTimeString('zh-CN', {
    hour: '2-digit',
    minute: '2-digit',
  });
  meta.append(who, when);
  if (message.edited) meta.append(' （已编辑 edited）');
  body.append(meta);
  if (message.ephemeralFor) {
    const only = document.createElement('div');
    only.className = 'only-you';
    only.textContent = '仅你可见 Only visible to you';
    body.append(only);
  }
  const content = document.createElement('div');
  content.className = 'content';
  if (message.blocks?.length) {
    content.append(
      renderBlocks(message.blocks, {
        people: state.names,
        surface: 'message',
        onAction: (action) => act({ channel: message.channel, ts: message.ts, action }),
      }),
    );
  } else {
    content.innerHTML = mrkdwnToHtml(message.text || '', state.names);
  }
  body.append(content);
  if (message.files?.length) {
    const files = document.createElement('div');
    files.className = 'files';
    for (const file of message.files) {
      const link = document.createElement('a');
      link.href = `/local/files/${encodeURIComponent(file.id)}?user=${encodeURIComponent(state.user)}`;
      link.download = file.name;
      link.textContent = `📎 ${file.title || file.name}（${Math.max(1, Math.round(file.size / 1024))} KB）`;
      files.append(link);
    }
    body.append(files);
  }
  const replies = state.messages.filter((m) => m.threadTs === message.ts);
  if (replies.length) {
    const thread = document.createElement('div');
    thread.className = 'thread';
    const title = document.createElement('div');
    title.className = 'thread-title';
    title.textContent = `${replies.length} 条回复 replies`;
    thread.append(title, ...replies.map((r) => messageElement(r, changedTs)));
    body.append(thread);
  }
  item.append(avatar, body);
  return item;
}

async function act(where) {
  await call('/local/action', { user: state.user, ...where }).catch(showProblem);
}

function showProblem(error) {
  state.messages.push({
    ts: String(Date.now() / 1000),
    channel: channelOfPlace(),
    user: state.botUserId,
    text: `（本地工作区）${error.message}`,
    ephemeralFor: state.user,
  });
  render();
}

// ---- modals ----
/** The JSON of the view on screen: a views.update that changes anything redraws it. */
let renderedView = '';

function renderModal() {
  const top = state.views[state.views.length - 1];
  $('modal-backdrop').hidden = !top;
  if (!top) {
    $('modal-body').replaceChildren();
    return;
  }
  const body = $('modal-body');
  const json = JSON.stringify(top.view);
  if (body.dataset.viewId === top.id && renderedView === json) return;
  // An update of the same view keeps what the person typed, as Slack does.
  const initialState = body.dataset.viewId === top.id ? collectState(body) : undefined;
  body.dataset.viewId = top.id;
  renderedView = json;
  $('modal').dataset.viewId = top.id;
  $('modal-title').textContent = plainOf(top.view.title);
  $('modal-submit').hidden = !top.view.submit;
  $('modal-submit').textContent = plainOf(top.view.submit) || '提交';
  $('modal-close').textContent = plainOf(top.view.close) || '关闭';
  body.replaceChildren(
    renderBlocks(top.view.blocks || [], {
      people: state.names,
      surface: 'modal',
      initialState,
      onAction: (action) => act({ viewId: top.id, action }),
    }),
  );
  for (const input of fileInputs(body)) {
    input.element.addEventListener('change', async () => {
      const uploaded = [];
      for (const file of input.element.files || []) {
        const response = await fetch(
          `/local/upload?user=${encodeURIComponent(state.user)}&name=${encodeURIComponent(file.name)}`,
          { method: 'POST', body: file, headers: PAGE_HEADERS },
        );
        uploaded.push(await response.json());
      }
      input.element.dataset.files = JSON.stringify(uploaded);
    });
  }
}

async function submitModal() {
  const top = state.views[state.views.length - 1];
  if (!top) return;
  const button = $('modal-submit');
  button.disabled = true;
  try {
    const answer = await call('/local/submit', {
      user: state.user,
      viewId: top.id,
      values: collectState($('modal-body')),
    });
    showFieldErrors($('modal-body'), answer.errors || {});
  } catch (error) {
    showProblem(error);
  } finally {
    button.disabled = false;
  }
}

async function closeModal() {
  const top = state.views[state.views.length - 1];
  if (top) await call('/local/close', { user: state.user, viewId: top.id }).catch(showProblem);
}

// ---- start ----
async function start() {
  const data = await (await fetch('/local/state')).json();
  Object.assign(state, { botUserId: data.botUserId, people: data.people, channels: data.channels });
  state.names = Object.fromEntries(data.people.map((p) => [p.id, p.name]));
  state.names[data.botUserId] = 'Custodian';
  const params = new URL(location.href).searchParams;
  const asked = params.get('as') || localStorage.getItem('custodian.local.as');
  state.user = data.people.some((p) => p.id === asked) ? asked : (data.people[0]?.id ?? '');
  state.place = params.get('in') || 'dm';
  $('job').replaceChildren(
    ...data.jobs.map((name) => {
      const option = document.createElement('option');
      option.value = option.textContent = name;
      return option;
    }),
  );
  $('person').addEventListener('change', async (e) => {
    state.user = e.target.value;
    localStorage.setItem('custodian.local.as', state.user);
    listen();
    await go(state.place);
  });
  for (const item of document.querySelectorAll('[data-nav]'))
    item.addEventListener('click', () => go(item.dataset.nav));
  $('composer-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const text = $('composer').value.trim();
    if (!text) return;
    $('composer').value = '';
    await call('/local/command', { user: state.user, channel: channelOfPlace(), text }).catch(showProblem);
  });
  $('modal-submit').addEventListener('click', submitModal);
  $('modal-close').addEventListener('click', closeModal);
  $('job-run').addEventListener('click', async () => {
    const at = $('job-at').value ? new Date($('job-at').value).toISOString() : undefined;
    $('job-result').textContent = '…';
    try {
      const answer = await call('/local/job', { name: $('job').value, ...(at && { at }) });
      $('job-result').textContent = JSON.stringify(answer.outcome);
    } catch (error) {
      $('job-result').textContent = error.message;
    }
  });
  listen();
  await go(state.place);
  document.body.dataset.ready = 'true';
}

start();
