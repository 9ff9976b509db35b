import type { App } from '@slack/bolt';
import { DocumentFormMetadata, filedText, readDocumentForm } from '../../blocks/archive.js';
import { formErrors } from '../../blocks/customer-form.js';
import { t } from '../../blocks/i18n/index.js';
import { VIEW } from '../../blocks/ids.js';
import { validateDocumentInput } from '../../domain/archive/document-input.js';
import { fileDocument } from '../../domain/archive/file-document.js';
import { localDateOf } from '../../domain/time.js';
import type { HandlerDeps } from '../deps.js';
import { parseJsonField } from '../reply.js';
import { submission } from './submission.js';

const BOX_ERRORS = new Set(['location_not_found', 'location_not_box', 'location_not_classified', 'no_free_box']);

/** The filing form (ARCH-6): checked beside its fields; a box problem shows beside the box. */
export function registerDocumentForm(app: App, deps: HandlerDeps): void {
  submission(
    app,
    deps,
    VIEW.documentForm,
    {
      errorField: 'title',
      fieldOf: (error) =>
        BOX_ERRORS.has(error.code) ? 'box' : error.code === 'document_not_found' ? 'relatedCode' : undefined,
    },
    async ({ session, locale, view }) => {
      const metadata = DocumentFormMetadata.safeParse(parseJsonField(view.private_metadata));
      if (!metadata.success) return { errors: { title: t(locale, 'fieldError.invalid_choice') } };
      const raw = readDocumentForm(view.state.values);
      const validation = validateDocumentInput(raw, localDateOf(session.ctx.now, session.ctx.timeZone));
      if (!validation.ok) {
        const { form, ...fields } = validation.errors;
        return { errors: formErrors(locale, form ? { ...fields, title: form } : fields) };
      }
      const filed = await fileDocument(session.ctx, { ...raw, customerCode: metadata.data.code });
      return { done: filedText(locale, filed) };
    },
  );
}
