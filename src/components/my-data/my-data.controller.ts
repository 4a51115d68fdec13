import type { RequestHandler, Response } from 'express';
import type { Config } from '../../libraries/config/config.js';
import { AppError } from '../../libraries/errors/app-error.js';
import { str } from '../../libraries/http/params.js';
import { SESSION_COOKIE } from '../accounts/session.js';
import type { MyDataUseCases } from './my-data.use-case.js';

type T = (key: string, options?: object) => string;
const t = (res: Response) => res.locals.t as T;

/** Download my data, delete my account (confirmed by email). */
export function myDataController(deps: { myData: MyDataUseCases }) {
  const { myData } = deps;

  const download: RequestHandler = async (req, res) => {
    const { fileName, zip } = await myData.exportFor(req.user!, req.ip ?? '');
    res
      .status(200)
      .set({
        'Content-Type': 'application/zip',
        'Content-Disposition': `attachment; filename="${fileName}"`,
        'Cache-Control': 'no-store',
      })
      .send(Buffer.from(zip));
  };

  const showDelete: RequestHandler = async (req, res) => {
    const blockers = await myData.deletionBlockers(req.user!.id);
    res.render('my-data/delete', {
      pageTitle: t(res)('myData.delete.title'),
      blockers,
      blockerNames: blockers.join(', '),
      blocked: blockers.length > 0,
    });
  };

  const requestDelete: RequestHandler = async (req, res) => {
    try {
      await myData.requestDeletion(req.user!, req.ip ?? '');
    } catch (err) {
      if (err instanceof AppError && err.messageKey === 'myData.delete.lastOwner') {
        const blockers = await myData.deletionBlockers(req.user!.id);
        return res.status(409).render('my-data/delete', {
          pageTitle: t(res)('myData.delete.title'),
          blockers,
          blockerNames: blockers.join(', '),
          blocked: true,
        });
      }
      throw err;
    }
    res.render('my-data/delete-sent', {
      pageTitle: t(res)('myData.delete.sentTitle'),
      email: req.user!.email,
    });
  };

  const renderInvalid = (res: Response, reason: string) =>
    res.status(410).render('accounts/link-invalid', {
      pageTitle: t(res)('links.invalid.title'),
      reason,
    });

  const showConfirm: RequestHandler = async (req, res) => {
    const checked = await myData.checkDeletionToken(str(req.params.token));
    if (!checked.ok) return renderInvalid(res, checked.reason);
    res.render('my-data/delete-confirm', {
      pageTitle: t(res)('myData.confirm.title'),
      email: checked.email,
    });
  };

  const confirm: RequestHandler = async (req, res) => {
    const result = await myData.confirmDeletion({ token: str(req.params.token), ip: req.ip ?? '' });
    if (!result.ok) return renderInvalid(res, result.reason);
    // The sessions are gone from the store; this request's copy must not be saved again.
    const end = () => {
      res.clearCookie(SESSION_COOKIE, { path: '/' });
      res.locals.user = undefined;
      res.render('my-data/deleted', { pageTitle: t(res)('myData.deleted.title') });
    };
    delete req.user;
    if (req.session) req.session.destroy(() => end());
    else end();
  };

  return { download, showDelete, requestDelete, showConfirm, confirm };
}
export type MyDataController = ReturnType<typeof myDataController>;

/** /confidentialite and /mentions-legales, from the configured operator and retention periods. */
export function legalController(deps: { config: Config }) {
  const c = deps.config;
  const operator = {
    name: c.OPERATOR_NAME,
    address: c.OPERATOR_ADDRESS,
    email: c.OPERATOR_EMAIL,
    director: c.OPERATOR_DIRECTOR,
    host: c.OPERATOR_HOST,
  };
  const privacy: RequestHandler = (_req, res) => {
    res.render('legal/privacy', {
      pageTitle: t(res)('legal.privacy.title'),
      operator,
      retention: {
        sessionDays: c.SESSION_MAX_DAYS,
        linkDays: c.RETENTION_LINK_DAYS,
        invitationDays: c.INVITATION_DAYS,
        failureHours: Math.max(1, Math.round(c.LOCKOUT_WINDOW_MINUTES / 60)),
        refusedEvidenceDays: c.RETENTION_REFUSED_EVIDENCE_DAYS,
        deletedAuditMonths: c.RETENTION_DELETED_AUDIT_MONTHS,
        deletionHours: c.ACCOUNT_DELETION_HOURS,
      },
    });
  };
  const notice: RequestHandler = (_req, res) => {
    res.render('legal/notice', {
      pageTitle: t(res)('legal.notice.title'),
      operator,
      publicUrl: c.PUBLIC_URL,
    });
  };
  return { privacy, notice };
}
