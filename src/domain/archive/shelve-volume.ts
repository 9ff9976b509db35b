import { can } from '../access/capabilities.js';
import { loadViewer } from '../access/load-viewer.js';
import { effectiveSecrecy } from '../access/visibility.js';
import type { UseCaseContext } from '../context.js';
import { DomainError } from '../errors.js';
import { denied, runUseCase } from '../use-case.js';
import { CUSTOMER_FOR_ARCHIVE, itemVisibility } from './archive-visibility.js';
import { boxFor } from './locations.js';

/**
 * `/kh shelve <volume> <box>` (INFO-7, INFO-22, ARCH-20): moves a volume to another box; a
 * 机密/绝密 volume only to a box marked for classified material. A volume the archivist may
 * not know of is answered like an unknown code.
 */
export function shelveVolume(
  ctx: UseCaseContext,
  input: { volumeCode: string; boxPath: string },
): Promise<{ volumeCode: string; from: string; to: string }> {
  return runUseCase(ctx, async ({ tx, now, me, audit, refuse }) => {
    if (!can(me.roles, 'manageArchive'))
      return refuse(
        new DomainError('not_allowed', { action: 'shelve' }),
        denied('volume', input.volumeCode, 'volume.shelve'),
      );
    const viewer = await loadViewer(tx, me, now);
    const volume = await tx.volume.findUnique({
      where: { code: input.volumeCode },
      include: { customer: { select: CUSTOMER_FOR_ARCHIVE }, box: { select: { path: true } } },
    });
    const seen = volume ? itemVisibility(viewer, volume.customer, volume, now) : 'hidden';
    if (!volume || seen === 'hidden') {
      return refuse(new DomainError('volume_not_found', { code: input.volumeCode }), {
        action: 'volume.view_refused',
        subjectType: 'volume',
        subjectId: input.volumeCode,
        details: { via: 'shelve' },
      });
    }
    if (seen !== 'visible') {
      return refuse(
        new DomainError('volume_hidden', { code: volume.code, level: effectiveSecrecy(volume, now) }),
        denied('volume', volume.code, 'volume.shelve'),
      );
    }
    const box = await boxFor(tx, input.boxPath, effectiveSecrecy(volume, now));
    await tx.volume.update({ where: { id: volume.id }, data: { boxId: box.id, updatedAt: now } });
    await audit({
      action: 'volume.shelved',
      subjectType: 'volume',
      subjectId: volume.code,
      details: { from: volume.box.path, to: box.path },
    });
    return { volumeCode: volume.code, from: volume.box.path, to: box.path };
  });
}
