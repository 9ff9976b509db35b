import type { App } from '@slack/bolt';
import { homeView } from '../../blocks/help.js';
import { homeApprovals } from '../../domain/approvals/home-approvals.js';
import { homeSummary } from '../../domain/customers/home-summary.js';
import { homeLoans } from '../../domain/loans/list-loans.js';
import { beginSession, type HandlerDeps } from '../deps.js';

/** App Home: who you are and what you can do. Republished each time the tab opens. */
export function registerEvents(app: App, deps: HandlerDeps): void {
  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'home') return;
    const session = await beginSession(deps, event.user);
    const summary = await homeSummary(session.ctx);
    const approvals = await homeApprovals(deps.db, session.person);
    const loans = await homeLoans(deps.db, session.person, session.ctx.now, deps.timeZone);
    await client.views.publish({
      user_id: event.user,
      view: homeView(session.locale, session.person, summary, approvals, deps.timeZone, loans),
    });
  });
}
