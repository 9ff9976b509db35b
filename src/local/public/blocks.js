/**
 * Block Kit for the local workspace: renders the bot's messages, modals and App Home the way Slack
 * would, collects modal state in Slack's view.state.values shape, and shows field errors.
 *
 * Safety rule: every piece of text from a block reaches the DOM through textContent, or through
 * innerHTML only as the output of mrkdwnToHtml / escapeHtml (which escape everything they emit).
 * Nothing here touches `document` at import time, so the text functions also run under Node.
 */

const HTML_ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const SLACK_ENTITIES = { amp: '&', lt: '<', gt: '>' };
/** Link targets Slack (and we) will open; anything else stays plain text. */
const SAFE_URL = /^(https?:|mailto:)/i;
/** Image sources we load: web images, inline images, or files served by the local server. */
const SAFE_IMAGE = /^(https?:|data:image\/|\/(?!\/))/i;
/** Placeholder brackets (Unicode private use) for already-rendered HTML inside mrkdwn. */
const HOLD_OPEN = '\uE000';
const HOLD_CLOSE = '\uE001';

/** DOM element → the block's own option objects (so submitted options are exactly Slack's). */
const optionStore = new WeakMap();
let uid = 0;

// ---------------------------------------------------------------------------------------------
// Text: HTML escaping and Slack mrkdwn
// ---------------------------------------------------------------------------------------------

/** Escapes &, <, >, ", ' for HTML. */
export function escapeHtml(text) {
  return String(text ?? '').replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/** Undoes Slack's own escaping (&amp; &lt; &gt;) exactly once. */
function decodeSlack(text) {
  return text.replace(/&(amp|lt|gt);/g, (_, name) => SLACK_ENTITIES[name]);
}

function personName(people, id) {
  if (!people) return undefined;
  if (people instanceof Map) return people.get(id);
  return Object.hasOwn(people, id) ? people[id] : undefined;
}

function peopleEntries(people) {
  if (!people) return [];
  return people instanceof Map ? [...people.entries()] : Object.entries(people);
}

const mentionHtml = (text) => `<span class="mention">${escapeHtml(text)}</span>`;

/** One `<…>` control sequence of Slack's message format (mention, channel, command, link) → HTML. */
function angleToHtml(inner, people) {
  const bar = inner.indexOf('|');
  const target = bar < 0 ? inner : inner.slice(0, bar);
  const label = bar < 0 ? '' : decodeSlack(inner.slice(bar + 1));
  if (target.startsWith('@')) {
    const id = target.slice(1);
    return mentionHtml(`@${personName(people, id) ?? (label || id)}`);
  }
  if (target.startsWith('#')) return mentionHtml(`#${label || target.slice(1)}`);
  if (target.startsWith('!')) {
    const command = target.slice(1);
    if (['here', 'channel', 'everyone'].includes(command)) return mentionHtml(`@${command}`);
    if (command.startsWith('subteam^')) return mentionHtml(label || `@${command.slice(8)}`);
    return escapeHtml(label || command); // <!date^…|fallback> and the like: Slack's fallback text
  }
  const url = decodeSlack(target).trim();
  if (!SAFE_URL.test(url)) return escapeHtml(label || url);
  return `<a href="${escapeHtml(url)}" target="_blank" rel="noopener">${escapeHtml(label || url)}</a>`;
}

// *bold*, _italic_, ~strike~: the markers sit at word edges and hug non-space text, as in Slack.
const EMPHASIS = [
  [/(^|[^\w*])\*([^*\s](?:[^*\n]*?[^*\s])?)\*(?![\w*])/g, 'strong'],
  [/(^|[^\w_])_([^_\s](?:[^_\n]*?[^_\s])?)_(?![\w_])/g, 'em'],
  [/(^|[^\w~])~([^~\s](?:[^~\n]*?[^~\s])?)~(?![\w~])/g, 'del'],
];

/** One line of mrkdwn (control sequences already held) → HTML: `code`, then emphasis. */
function inlineToHtml(line, hold) {
  const withCode = line.replace(/`([^`]+)`/g, (_, code) =>
    hold(`<code class="mrkdwn-code">${escapeHtml(decodeSlack(code))}</code>`),
  );
  let html = escapeHtml(decodeSlack(withCode));
  for (const [pattern, tag] of EMPHASIS) html = html.replace(pattern, `$1<${tag}>$2</${tag}>`);
  return html;
}

/** Lines → HTML: `>` lines grouped into blockquotes (`>>>` quotes the rest), others joined by <br>. */
function linesToHtml(text, hold) {
  const groups = [];
  let quoteRest = false;
  for (const raw of text.split('\n')) {
    let line = raw;
    let quoted = quoteRest;
    const rest = /^(?:&gt;|>){3} ?/.exec(line);
    const single = /^(?:&gt;|>) ?/.exec(line);
    if (!quoted && rest) [quoteRest, quoted, line] = [true, true, line.slice(rest[0].length)];
    else if (!quoted && single) [quoted, line] = [true, line.slice(single[0].length)];
    const last = groups[groups.length - 1];
    if (last && last.quoted === quoted) last.lines.push(inlineToHtml(line, hold));
    else groups.push({ quoted, lines: [inlineToHtml(line, hold)] });
  }
  return groups
    .map((g) =>
      g.quoted ? `<blockquote class="mrkdwn-quote">${g.lines.join('<br>')}</blockquote>` : g.lines.join('<br>'),
    )
    .join('');
}

/**
 * Slack mrkdwn → safe HTML string. Slack's escaping (&amp; &lt; &gt;) is decoded exactly once and
 * everything is re-escaped for HTML; control sequences become mentions or (http/https/mailto) links.
 * `people` is a Map or plain object from user id to display name.
 */
export function mrkdwnToHtml(text, people) {
  const store = [];
  const hold = (html) => `${HOLD_OPEN}${store.push(html) - 1}${HOLD_CLOSE}`;
  const restore = (s) => s.replace(/\uE000(\d+)\uE001/g, (_, i) => restore(store[Number(i)]));
  // Raw < and > only ever delimit control sequences in Slack text (a typed < arrives as &lt;).
  const source = String(text ?? '')
    .replace(/[\uE000\uE001]/g, '')
    .replace(/<([^<>\n]*)>/g, (_, inner) => hold(angleToHtml(inner, people)));
  const parts = source.split(/```([\s\S]*?)```/);
  const html = parts.map((part, i) => {
    if (i % 2 === 1) {
      const body = part.replace(/^\n/, '').replace(/\n$/, '');
      return `<pre class="mrkdwn-pre">${escapeHtml(decodeSlack(body))}</pre>`;
    }
    // The newline next to a ``` fence is swallowed by the block, as in Slack.
    let body = part;
    if (i > 0) body = body.replace(/^\n/, '');
    if (i < parts.length - 1) body = body.replace(/\n$/, '');
    return linesToHtml(body, hold);
  });
  return restore(html.join(''));
}

// ---------------------------------------------------------------------------------------------
// DOM helpers
// ---------------------------------------------------------------------------------------------

/** createElement with properties (attributes for data-/aria-/for/role) and children. */
function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = String(value);
    else if (key === 'html')
      node.innerHTML = value; // only mrkdwnToHtml output is passed here
    else if (/^(data-|aria-|for$|role$)/.test(key)) node.setAttribute(key, String(value));
    else node[key] = value;
  }
  node.append(...children.filter((child) => child !== null && child !== undefined && child !== false && child !== ''));
  return node;
}

/** The text of a plain_text object (or a bare string). */
export const plainOf = (textObject) => (typeof textObject === 'string' ? textObject : (textObject?.text ?? ''));

/** A text object: mrkdwn through mrkdwnToHtml, plain_text as text (the emoji flag is ignored). */
function textObject(object, people) {
  if (object?.type === 'mrkdwn') return el('span', { class: 'blk-mrkdwn', html: mrkdwnToHtml(object.text, people) });
  return el('span', { class: 'blk-plain', text: plainOf(object) });
}

function imageUrl(image) {
  const url = String(image.image_url ?? image.slack_file?.url ?? '').trim();
  return SAFE_IMAGE.test(url) ? url : undefined;
}

function openUrl(url) {
  if (url && SAFE_URL.test(String(url).trim())) window.open(String(url).trim(), '_blank', 'noopener');
}

const actionTs = () => (Date.now() / 1000).toFixed(6);

// ---------------------------------------------------------------------------------------------
// Elements
// ---------------------------------------------------------------------------------------------

// button: Slack's green "primary", red "danger" and grey outlined default; a url button also opens the link.
function buildButton(def) {
  const style = ['primary', 'danger'].includes(def.style) ? ` blk-btn--${def.style}` : '';
  return el('button', {
    type: 'button',
    class: `blk-btn${style}`,
    text: plainOf(def.text),
    'aria-label': def.accessibility_label,
  });
}

// image (as a section accessory): a small square thumbnail on the right.
function buildImage(def) {
  return el('img', { class: 'blk-accessory-image', src: imageUrl(def), alt: def.alt_text ?? '', loading: 'lazy' });
}

function flatOptions(def) {
  return def.option_groups ? def.option_groups.flatMap((group) => group.options ?? []) : (def.options ?? []);
}

/** <option>s (inside <optgroup>s for option_groups); each one's value is its index in flatOptions. */
function optionElements(def, isChosen) {
  let index = 0;
  const make = (o) => el('option', { value: String(index++), text: plainOf(o.text), defaultSelected: isChosen(o) });
  if (!def.option_groups) return (def.options ?? []).map(make);
  return def.option_groups.map((g) => el('optgroup', { label: plainOf(g.label) }, ...(g.options ?? []).map(make)));
}

/** The blank first entry of a select with nothing chosen yet (Slack shows the placeholder). */
const blankOption = (def) => el('option', { value: '', text: plainOf(def.placeholder) || '请选择' });

// static_select / multi_static_select: Slack's menus as native <select>s (options or option_groups).
function buildStaticSelect(def) {
  const multi = def.type === 'multi_static_select';
  const initial = multi ? (def.initial_options ?? []) : def.initial_option ? [def.initial_option] : [];
  const select = el('select', { class: 'blk-select', multiple: multi });
  if (!multi && initial.length === 0) select.append(blankOption(def));
  select.append(...optionElements(def, (o) => initial.some((i) => i.value === o.value)));
  if (multi) select.size = Math.min(Math.max(flatOptions(def).length, 2), 6);
  optionStore.set(select, flatOptions(def));
  return select;
}

// users_select / multi_users_select: Slack's people picker, here the workspace's people in a <select>.
function buildUsersSelect(def, rc) {
  const multi = def.type === 'multi_users_select';
  const initial = multi ? (def.initial_users ?? []) : def.initial_user ? [def.initial_user] : [];
  const people = peopleEntries(rc.people);
  for (const id of initial) if (!people.some(([known]) => known === id)) people.push([id, id]);
  const select = el('select', { class: 'blk-select', multiple: multi });
  if (!multi && initial.length === 0) select.append(blankOption(def));
  select.append(
    ...people.map(([id, name]) =>
      el('option', { value: id, text: String(name ?? id), defaultSelected: initial.includes(id) }),
    ),
  );
  if (multi) select.size = Math.min(Math.max(people.length, 2), 6);
  return select;
}

// overflow: Slack's "⋯" menu; choosing an item sends the action and the menu shows "⋯" again.
function buildOverflow(def) {
  const select = el(
    'select',
    { class: 'blk-overflow', title: '更多', 'aria-label': '更多' },
    el('option', { value: '', text: '⋯', hidden: true }),
    ...optionElements({ options: def.options ?? [] }, () => false),
  );
  optionStore.set(select, def.options ?? []);
  return select;
}

const INPUT_TYPES = {
  plain_text_input: 'text',
  email_input: 'email',
  url_input: 'url',
  number_input: 'number',
  datepicker: 'date',
  timepicker: 'time',
};

// plain_text_input (a <textarea> when multiline), email/url/number inputs, datepicker, timepicker.
function buildTextInput(def) {
  const multiline = def.type === 'plain_text_input' && def.multiline;
  const node = multiline ? el('textarea', { rows: 4 }) : el('input', { type: INPUT_TYPES[def.type] });
  node.className = 'blk-text-input';
  if (def.placeholder) node.placeholder = plainOf(def.placeholder);
  const initial = def.initial_value ?? def.initial_date ?? def.initial_time;
  if (initial !== undefined && initial !== null) node.defaultValue = String(initial);
  if (def.max_length) node.maxLength = def.max_length;
  if (def.min_length) node.minLength = def.min_length;
  if (def.type === 'number_input') {
    node.step = def.is_decimal_allowed ? 'any' : '1';
    if (def.min_value !== undefined) node.min = String(def.min_value);
    if (def.max_value !== undefined) node.max = String(def.max_value);
  }
  return node;
}

// checkboxes / radio_buttons: Slack's option lists, each option with an optional grey description.
function buildChoices(def, rc) {
  const radio = def.type === 'radio_buttons';
  const name = `blk-choice-${++uid}`;
  const initial = radio ? (def.initial_option ? [def.initial_option] : []) : (def.initial_options ?? []);
  const group = el('div', { class: 'blk-choices', role: radio ? 'radiogroup' : 'group' });
  (def.options ?? []).forEach((option, index) => {
    const box = el('input', {
      type: radio ? 'radio' : 'checkbox',
      name,
      value: String(index),
      defaultChecked: initial.some((i) => i.value === option.value),
    });
    const description =
      option.description && el('span', { class: 'blk-choice-desc' }, textObject(option.description, rc.people));
    group.append(
      el(
        'label',
        { class: 'blk-choice' },
        box,
        el('span', { class: 'blk-choice-text' }, textObject(option.text, rc.people), description),
      ),
    );
  });
  optionStore.set(group, def.options ?? []);
  return group;
}

// file_input: Slack's uploader; the page shell uploads the chosen files and sets data-files (JSON).
function buildFileInput(def) {
  const accept = (def.filetypes ?? []).map((type) => `.${type}`).join(',');
  return el('input', {
    type: 'file',
    class: 'blk-file-input',
    accept: accept || undefined,
    multiple: (def.max_files ?? 10) > 1,
  });
}

const ELEMENT_BUILDERS = {
  button: buildButton,
  image: buildImage,
  overflow: buildOverflow,
  static_select: buildStaticSelect,
  multi_static_select: buildStaticSelect,
  users_select: buildUsersSelect,
  multi_users_select: buildUsersSelect,
  plain_text_input: buildTextInput,
  email_input: buildTextInput,
  url_input: buildTextInput,
  number_input: buildTextInput,
  datepicker: buildTextInput,
  timepicker: buildTextInput,
  checkboxes: buildChoices,
  radio_buttons: buildChoices,
  file_input: buildFileInput,
};

/** Builds one element, tags it for state collection, and wires it to ctx.onAction when interactive. */
function renderElement(def, rc, { interactive, index }) {
  const build = ELEMENT_BUILDERS[def?.type];
  if (!build) return el('span', { class: 'blk-unsupported', text: `[unsupported element: ${def?.type}]` });
  const node = build(def, rc);
  if (def.type === 'image') return node;
  node.dataset.actionId = def.action_id ?? `${rc.blockId}-${index}`; // Slack would invent a random one
  node.dataset.elementType = def.type;
  if (interactive) wireAction(node, def, rc);
  return node;
}

// ---------------------------------------------------------------------------------------------
// State (view.state.values) and actions (block_actions)
// ---------------------------------------------------------------------------------------------

const copyOption = (o) => ({ text: o.text, value: o.value, ...(o.description && { description: o.description }) });

function chosenOptions(node) {
  const options = optionStore.get(node) ?? [];
  const indexes =
    node.tagName === 'SELECT'
      ? [...node.selectedOptions].map((o) => o.value)
      : [...node.querySelectorAll('input:checked')].map((i) => i.value);
  return indexes
    .map((i) => options[i])
    .filter(Boolean)
    .map(copyOption);
}

function parseFiles(json) {
  try {
    const files = JSON.parse(json || '[]');
    return Array.isArray(files) ? files : [];
  } catch {
    return [];
  }
}

const textValue = (node) => ({ value: node.value === '' ? null : node.value });

/** Per element type: its value as Slack puts it in view.state.values (without `type`). */
const STATE_READERS = {
  plain_text_input: textValue,
  email_input: textValue,
  url_input: textValue,
  number_input: textValue,
  static_select: (node) => ({ selected_option: chosenOptions(node)[0] ?? null }),
  multi_static_select: (node) => ({ selected_options: chosenOptions(node) }),
  users_select: (node) => ({ selected_user: node.value || null }),
  multi_users_select: (node) => ({ selected_users: [...node.selectedOptions].map((o) => o.value) }),
  datepicker: (node) => ({ selected_date: node.value || null }),
  timepicker: (node) => ({ selected_time: node.value || null }),
  checkboxes: (node) => ({ selected_options: chosenOptions(node) }),
  radio_buttons: (node) => ({ selected_option: chosenOptions(node)[0] ?? null }),
  file_input: (node) => ({ files: parseFiles(node.dataset.files) }),
};

const readElement = (node) => ({ type: node.dataset.elementType, ...STATE_READERS[node.dataset.elementType](node) });
const blockIdOf = (node) => node.closest('[data-block-id]')?.dataset.blockId;

function pressButton(def, send) {
  if (
    def.confirm &&
    !window.confirm([plainOf(def.confirm.title), plainOf(def.confirm.text)].filter(Boolean).join('\n\n'))
  )
    return;
  openUrl(def.url);
  send({ text: def.text, ...(def.value !== undefined && { value: def.value }) });
}

/** Sends Slack's block_actions action object to ctx.onAction when the element is used. */
function wireAction(node, def, rc) {
  const send = (extra) =>
    rc.onAction?.({
      type: def.type,
      action_id: node.dataset.actionId,
      block_id: rc.blockId,
      ...extra,
      action_ts: actionTs(),
    });
  if (def.type === 'button') {
    node.addEventListener('click', () => pressButton(def, send));
  } else if (def.type === 'overflow') {
    node.addEventListener('change', () => {
      const option = (optionStore.get(node) ?? [])[node.value];
      node.selectedIndex = 0;
      if (!option) return;
      openUrl(option.url);
      send({ selected_option: copyOption(option) });
    });
  } else if (STATE_READERS[def.type]) {
    node.addEventListener('change', () => {
      const { type: _type, ...value } = readElement(node);
      if (!Object.values(value).includes(null)) send(value); // Slack sends nothing for "back to blank"
    });
  }
}

/** Puts a previously collected state.values back into freshly rendered elements. */
function restoreState(root, state) {
  for (const node of root.querySelectorAll('[data-element-type]')) {
    const saved = state[blockIdOf(node)]?.[node.dataset.actionId];
    if (saved && STATE_READERS[node.dataset.elementType]) applyValue(node, saved);
  }
}

function applyValue(node, saved) {
  if ('files' in saved) node.dataset.files = JSON.stringify(saved.files ?? []);
  else if ('value' in saved || 'selected_date' in saved || 'selected_time' in saved)
    node.value = saved.value ?? saved.selected_date ?? saved.selected_time ?? '';
  else if ('selected_user' in saved || 'selected_users' in saved) {
    const ids = saved.selected_users ?? [saved.selected_user];
    for (const option of node.options) option.selected = ids.includes(option.value);
  } else {
    const wanted = (saved.selected_options ?? [saved.selected_option]).filter(Boolean).map((o) => o.value);
    const options = optionStore.get(node) ?? [];
    const isWanted = (index) => options[index] !== undefined && wanted.includes(options[index].value);
    if (node.tagName === 'SELECT') for (const option of node.options) option.selected = isWanted(option.value);
    else for (const box of node.querySelectorAll('input')) box.checked = isWanted(box.value);
  }
}

/**
 * Collects the current values of every stateful element inside `root` in Slack's view.state.values
 * format: { [block_id]: { [action_id]: { type, …value } } } (input blocks, and selects etc. in actions).
 */
export function collectState(root) {
  const values = {};
  for (const node of root.querySelectorAll('[data-element-type]')) {
    if (!STATE_READERS[node.dataset.elementType]) continue; // buttons and overflow menus have no state
    const blockId = blockIdOf(node);
    if (blockId === undefined) continue;
    values[blockId] ??= {};
    values[blockId][node.dataset.actionId] = readElement(node);
  }
  return values;
}

/**
 * Shows Slack-style field errors: errors = { [block_id]: message }, red text under the input.
 * Clears earlier ones first. Returns the block ids that matched no block (Slack would refuse those).
 */
export function showFieldErrors(root, errors) {
  for (const old of root.querySelectorAll('.blk-error')) old.remove();
  for (const block of root.querySelectorAll('.blk--invalid')) block.classList.remove('blk--invalid');
  for (const node of root.querySelectorAll('[aria-invalid]')) node.removeAttribute('aria-invalid');
  const blocks = [...root.querySelectorAll('[data-block-id]')];
  const missing = [];
  for (const [blockId, message] of Object.entries(errors ?? {})) {
    const block = blocks.find((b) => b.dataset.blockId === blockId);
    if (!block) {
      missing.push(blockId);
      continue;
    }
    block.classList.add('blk--invalid');
    block.querySelector('[data-element-type]')?.setAttribute('aria-invalid', 'true');
    const error = el('div', { class: 'blk-error', role: 'alert', text: String(message) });
    const control = block.querySelector('.blk-input-control');
    if (control) control.after(error);
    else block.append(error);
  }
  return missing;
}

/** All file inputs in root: [{ element, blockId, actionId }], for the shell to upload chosen files. */
export function fileInputs(root) {
  return [...root.querySelectorAll('[data-element-type="file_input"]')].map((element) => ({
    element,
    blockId: blockIdOf(element),
    actionId: element.dataset.actionId,
  }));
}

// ---------------------------------------------------------------------------------------------
// Blocks
// ---------------------------------------------------------------------------------------------

// section: text, then fields in Slack's two-column grid, with one accessory on the right.
function renderSection(wrapper, block, rc) {
  const body = el('div', { class: 'blk-section-body' });
  if (block.text) body.append(el('div', { class: 'blk-section-text' }, textObject(block.text, rc.people)));
  if (block.fields?.length) {
    const fields = block.fields.map((field) => el('div', { class: 'blk-field' }, textObject(field, rc.people)));
    body.append(el('div', { class: 'blk-fields' }, ...fields));
  }
  wrapper.append(body);
  if (block.accessory) {
    const accessory = renderElement(block.accessory, rc, { interactive: true, index: 0 });
    wrapper.append(el('div', { class: 'blk-accessory' }, accessory));
  }
}

// context: a row of small grey text and tiny images, as under a Slack message.
function renderContext(wrapper, block, rc) {
  for (const item of block.elements ?? []) {
    wrapper.append(
      item.type === 'image'
        ? el('img', { class: 'blk-context-image', src: imageUrl(item), alt: item.alt_text ?? '' })
        : el('span', { class: 'blk-context-text' }, textObject(item, rc.people)),
    );
  }
}

// divider: Slack's thin grey rule.
function renderDivider(wrapper) {
  wrapper.append(el('hr', { class: 'blk-divider-line' }));
}

// header: plain_text only, bold and larger than message text.
function renderHeader(wrapper, block) {
  wrapper.append(
    el('div', { class: 'blk-header-text', role: 'heading', 'aria-level': '2', text: plainOf(block.text) }),
  );
}

// image: the optional title above the picture, which Slack scales to the message width.
function renderImage(wrapper, block) {
  if (block.title) wrapper.append(el('div', { class: 'blk-image-title', text: plainOf(block.title) }));
  const src = imageUrl(block);
  wrapper.append(
    src
      ? el('img', { class: 'blk-image-img', src, alt: block.alt_text ?? '', loading: 'lazy' })
      : el('span', { class: 'blk-unsupported', text: `[图片: ${block.alt_text ?? ''}]` }),
  );
}

// actions: a wrapping row of interactive elements; each use becomes a block_actions action.
function renderActions(wrapper, block, rc) {
  (block.elements ?? []).forEach((def, index) => {
    wrapper.append(renderElement(def, rc, { interactive: true, index }));
  });
}

function labelText(block) {
  const text = plainOf(block.label);
  return block.optional && !/[(（]\s*(可选|optional)\s*[)）]/i.test(text) ? `${text} (可选)` : text;
}

// input: Slack's modal form row: bold label (with "(可选)"), the element, red error, grey hint.
// Its element only sends actions when the block has dispatch_action (as in Slack).
function renderInput(wrapper, block, rc) {
  const control = renderElement(block.element ?? {}, rc, { interactive: Boolean(block.dispatch_action), index: 0 });
  const labelled = ['INPUT', 'SELECT', 'TEXTAREA'].includes(control.tagName);
  if (labelled) control.id = `blk-el-${++uid}`;
  wrapper.dataset.optional = String(Boolean(block.optional));
  wrapper.append(
    el(labelled ? 'label' : 'div', {
      class: 'blk-label',
      for: labelled ? control.id : undefined,
      text: labelText(block),
    }),
    el('div', { class: 'blk-input-control' }, control),
  );
  if (block.hint) wrapper.append(el('div', { class: 'blk-hint' }, textObject(block.hint, rc.people)));
}

/** A rich_text element tree → its plain text (lists get bullets). */
function richText(node, people) {
  switch (node?.type) {
    case 'text':
      return node.text ?? '';
    case 'link':
      return node.text || node.url || '';
    case 'user':
      return `@${personName(people, node.user_id) ?? node.user_id}`;
    case 'channel':
      return `#${node.channel_id}`;
    case 'usergroup':
      return `@${node.usergroup_id}`;
    case 'broadcast':
      return `@${node.range}`;
    case 'emoji':
      return `:${node.name}:`;
    case 'date':
      return node.fallback ?? '';
    case 'rich_text_list':
      return (node.elements ?? []).map((item) => `• ${richText(item, people)}`).join('\n');
    default:
      return (node?.elements ?? []).map((item) => richText(item, people)).join('');
  }
}

// rich_text: what Slack's composer sends, shown as plain text with its line breaks kept.
function renderRichText(wrapper, block, rc) {
  const text = (block.elements ?? []).map((part) => richText(part, rc.people).replace(/\n$/, '')).join('\n');
  wrapper.append(el('div', { class: 'blk-rich-text', text }));
}

const BLOCK_RENDERERS = {
  section: renderSection,
  context: renderContext,
  divider: renderDivider,
  header: renderHeader,
  image: renderImage,
  actions: renderActions,
  input: renderInput,
  rich_text: renderRichText,
};

function renderBlock(block, index, ctx) {
  // Slack fills in a random block_id when a block has none; ours is stable per position.
  const blockId = block?.block_id ?? `b${index}`;
  const render = BLOCK_RENDERERS[block?.type];
  const wrapper = el('div', {
    class: `blk blk-${render ? block.type : 'unsupported-block'}`,
    'data-block-id': blockId,
    'data-block-type': block?.type,
  });
  if (render) render(wrapper, block, { ...ctx, blockId });
  else wrapper.append(el('span', { class: 'blk-unsupported', text: `[unsupported block: ${block?.type}]` }));
  return wrapper;
}

/**
 * Renders an array of Block Kit blocks into a new DocumentFragment.
 * ctx = { people, surface: 'message' | 'modal' | 'home', onAction(action), initialState? }
 */
export function renderBlocks(blocks, ctx = {}) {
  const fragment = document.createDocumentFragment();
  (blocks ?? []).forEach((block, index) => {
    fragment.append(renderBlock(block, index, ctx));
  });
  if (ctx.initialState) restoreState(fragment, ctx.initialState);
  return fragment;
}
