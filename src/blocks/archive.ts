/** The physical archive in Slack: the filing form, and the answers of where, location, shelve and reconcile. */
import type { types, ViewStateValue } from '@slack/bolt';
import { z } from 'zod';
import { SECRECY_LEVELS } from '../domain/access/visibility.js';
import {
  CARRIERS,
  DOCUMENT_FORMS,
  DOCUMENT_NATURES,
  DOCUMENT_RELATIONS,
  DOCUMENT_TYPES,
  type DocumentField,
  RETENTION_CLASSES,
} from '../domain/archive/document-input.js';
import type { DocumentFiled } from '../domain/archive/file-document.js';
import type { Located, VolumePlace } from '../domain/archive/locate.js';
import type { LocationAdded, LocationLine } from '../domain/archive/locations.js';
import type { Reconciliation } from '../domain/archive/reconcile-archive.js';
import { escapeMrkdwn, type MessageKey, t, tDynamic, type UiLocale } from './i18n/index.js';
import { ACTION, VIEW } from './ids.js';
import { levelLabel, levelMarker } from './labels.js';
import { formModal, mrkdwn, plain } from './text.js';

export const DocumentFormMetadata = z.object({ code: z.string().max(20) });

type Option = { value: string; label: string };

function select(
  field: DocumentField,
  label: string,
  options: Option[],
  optional = false,
  initial?: string,
): types.InputBlock {
  const toOption = (o: Option) => ({ text: plain(o.label, 75), value: o.value });
  const first = options.find((o) => o.value === initial);
  return {
    type: 'input',
    block_id: field,
    optional,
    label: plain(label),
    element: {
      type: 'static_select',
      action_id: ACTION.fieldValue,
      options: options.map(toOption),
      ...(first && { initial_option: toOption(first) }),
    },
  };
}

function text(field: DocumentField, label: string, max: number, optional = false, multiline = false): types.InputBlock {
  return {
    type: 'input',
    block_id: field,
    optional,
    label: plain(label),
    element: { type: 'plain_text_input', action_id: ACTION.fieldValue, max_length: max, multiline },
  };
}

function date(field: DocumentField, label: string, optional = false): types.InputBlock {
  return {
    type: 'input',
    block_id: field,
    optional,
    label: plain(label),
    element: { type: 'datepicker', action_id: ACTION.fieldValue },
  };
}

const options = (locale: UiLocale, prefix: string, values: readonly string[]): Option[] =>
  values.map((value) => ({ value, label: tDynamic(locale, `${prefix}.${value}` as MessageKey, {}) }));

/** `/kh file <customer>`: the document as the archivist vets it (ARCH-4, ARCH-11, ARCH-12, ARCH-14, ARCH-17, INFO-8). */
export function documentFormView(locale: UiLocale, metadata: z.infer<typeof DocumentFormMetadata>): types.ModalView {
  const label = (field: DocumentField) => t(locale, `document.field.${field}`);
  return formModal({
    callbackId: VIEW.documentForm,
    metadata: metadata,
    title: t(locale, 'document.modal.title'),
    submit: t(locale, 'document.modal.submit'),
    cancel: t(locale, 'modal.cancel'),
    blocks: [
      { type: 'context', elements: [mrkdwn(t(locale, 'document.modal.intro', { code: metadata.code }))] },
      select('type', label('type'), options(locale, 'document.type', DOCUMENT_TYPES)),
      text('title', label('title'), 200),
      date('formedOn', label('formedOn')),
      select('nature', label('nature'), options(locale, 'document.nature', DOCUMENT_NATURES), true, 'single'),
      text('coversFrom', label('coversFrom'), 4, true),
      text('coversTo', label('coversTo'), 4, true),
      text('copies', label('copies'), 3),
      text('pages', label('pages'), 4),
      select('form', label('form'), options(locale, 'document.form', DOCUMENT_FORMS), false, 'original'),
      text('language', label('language'), 20, true),
      text('relatedCode', label('relatedCode'), 20, true),
      select('relation', label('relation'), options(locale, 'document.relation', DOCUMENT_RELATIONS), true),
      select('carrier', label('carrier'), options(locale, 'document.carrier', CARRIERS), false, 'paper'),
      select('secrecyLevel', label('secrecyLevel'), options(locale, 'level', SECRECY_LEVELS), true),
      date('secrecyUntil', label('secrecyUntil'), true),
      select('retention', label('retention'), options(locale, 'retention', RETENTION_CLASSES), false, 'long_term'),
      text('remarks', label('remarks'), 500, true, true),
      text('box', label('box'), 200, true),
      {
        type: 'input',
        block_id: 'vetted',
        label: plain(label('vetted')),
        element: {
          type: 'checkboxes',
          action_id: ACTION.fieldValue,
          options: [{ text: plain(t(locale, 'document.vetted_option'), 75), value: 'yes' }],
        },
      },
    ],
  });
}

/** The form's values as the domain's schema takes them. */
export function readDocumentForm(state: Record<string, Record<string, ViewStateValue>>) {
  const at = (field: DocumentField) => state[field]?.[ACTION.fieldValue];
  const value = (field: DocumentField) => (at(field)?.value ?? '').trim();
  const chosen = (field: DocumentField) => at(field)?.selected_option?.value ?? '';
  const day = (field: DocumentField) => at(field)?.selected_date ?? '';
  return {
    type: chosen('type'),
    title: value('title'),
    formedOn: day('formedOn'),
    nature: chosen('nature'),
    coversFrom: value('coversFrom'),
    coversTo: value('coversTo'),
    copies: value('copies'),
    pages: value('pages'),
    form: chosen('form'),
    language: value('language'),
    relatedCode: value('relatedCode'),
    relation: chosen('relation'),
    carrier: chosen('carrier'),
    secrecyLevel: chosen('secrecyLevel'),
    secrecyUntil: day('secrecyUntil'),
    retention: chosen('retention'),
    remarks: value('remarks'),
    box: value('box'),
    vetted: (at('vetted')?.selected_options ?? []).some((option) => option.value === 'yes'),
  };
}

const pagesText = (first: number, last: number) => (first === last ? String(first) : `${first}–${last}`);

/** The confirmation of a filing: where the document went. */
export function filedText(locale: UiLocale, filed: DocumentFiled): string {
  const lines = [
    t(locale, 'document.filed', {
      code: filed.document.code,
      title: escapeMrkdwn(filed.document.title),
      volume: filed.volume.code,
      year: filed.volume.year,
      n: filed.document.position,
      pages: pagesText(filed.document.firstPage, filed.document.lastPage),
      box: escapeMrkdwn(filed.volume.boxPath),
    }),
  ];
  if (filed.volume.created) lines.push(t(locale, 'document.volume_created', { volume: filed.volume.code }));
  if (filed.moved.length > 0)
    lines.push(t(locale, 'document.moved', { codes: filed.moved.join(', '), volume: filed.volume.code }));
  return lines.join('\n');
}

function placeLine(locale: UiLocale, place: VolumePlace): string {
  const head = `*${place.code}* ${place.year} ${levelMarker(locale, place.level)}`.trim();
  if (place.masked) return `${head} ${t(locale, 'where.masked')}`;
  const state = t(locale, `volume.state.${place.state ?? 'in_box'}`);
  const loan = place.loan
    ? t(locale, 'where.on_loan', { loan: place.loan.code, user: place.loan.borrower, due: place.loan.dueOn ?? '—' })
    : '';
  return t(locale, 'where.volume_line', {
    head,
    box: escapeMrkdwn(place.boxPath ?? ''),
    state,
    count: place.documents ?? 0,
    loan,
  });
}

/** `/kh where`: the answer from the storage-location index. */
export function locatedText(locale: UiLocale, located: Located): string {
  switch (located.kind) {
    case 'customer': {
      const { customer } = located;
      const head = t(locale, 'where.customer', {
        code: customer.code,
        name: customer.name ? escapeMrkdwn(customer.name) : '',
        level: levelMarker(locale, customer.level),
      });
      if (located.volumes.length === 0) return `${head}\n${t(locale, 'where.no_volumes')}`;
      return [head, ...located.volumes.map((place) => `• ${placeLine(locale, place)}`)].join('\n');
    }
    case 'volume':
      return `${t(locale, 'where.volume_of', { customer: located.customerCode })}\n${placeLine(locale, located.volume)}`;
    case 'document': {
      const { document } = located;
      return [
        t(locale, 'where.document', {
          code: document.code,
          title: escapeMrkdwn(document.title),
          level: levelMarker(locale, document.level),
          n: document.position,
          pages: pagesText(document.firstPage, document.lastPage),
        }),
        placeLine(locale, located.volume),
      ].join('\n');
    }
  }
}

export function locationAddedText(locale: UiLocale, added: LocationAdded): string {
  const lines = [
    t(locale, 'location.added', {
      path: escapeMrkdwn(added.path),
      kind: t(locale, `location.kind.${added.kind}`),
      classified: added.classified ? t(locale, 'location.classified') : '',
    }),
  ];
  if (added.created.length > 0)
    lines.push(t(locale, 'location.created_above', { paths: escapeMrkdwn(added.created.join(', ')) }));
  return lines.join('\n');
}

export function locationsText(
  locale: UiLocale,
  list: { lines: LocationLine[]; total: number; page: number; pages: number },
): string {
  if (list.total === 0) return t(locale, 'location.none');
  const lines = list.lines.map((line) => {
    const depth = line.path.split('/').length - 1;
    return `${'　'.repeat(depth)}• ${escapeMrkdwn(line.path)} · ${t(locale, `location.kind.${line.kind}`)}${
      line.classified ? ` ${t(locale, 'location.classified')}` : ''
    }${line.kind === 'box' ? ` · ${t(locale, 'location.volumes', { count: line.volumes })}` : ''}`;
  });
  return [t(locale, 'location.title', { total: list.total, page: list.page, pages: list.pages }), ...lines].join('\n');
}

export function reconciliationText(locale: UiLocale, result: Reconciliation): string {
  const head = t(locale, 'reconcile.summary', {
    volumes: result.volumes,
    inBox: result.inBox,
    onLoan: result.onLoan,
    held: result.held,
  });
  if (result.findings.length === 0) return `${head}\n${t(locale, 'reconcile.clean')}`;
  const shown = result.findings.slice(0, 50).map((finding) =>
    t(locale, `reconcile.finding.${finding.kind}`, {
      volume: finding.volumeCode,
      level: levelLabel(locale, finding.level),
      loan: finding.loanCode ?? '',
      box: escapeMrkdwn(finding.boxPath),
    }),
  );
  const more = result.findings.length - shown.length;
  return [
    head,
    t(locale, 'reconcile.findings', { count: result.findings.length }),
    ...shown.map((line) => `• ${line}`),
    ...(more > 0 ? [t(locale, 'reconcile.more', { count: more })] : []),
  ].join('\n');
}
