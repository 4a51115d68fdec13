import type { Request, RequestHandler, Response } from 'express';
import { renderFormErrors } from '../../libraries/web/forms.js';
import { homeFor, logIn, renderInvalidLink } from '../accounts/accounts.pages.js';
import { flash } from '../accounts/accounts.middleware.js';
import { PASSWORD_MIN_LENGTH } from '../accounts/password.js';
import type { InvitationView, InvitationsUseCases } from './invitations.use-case.js';
import { str } from '../../libraries/http/params.js';

export function invitationsController(deps: {
  invitations: InvitationsUseCases;
  clock: () => Date;
}) {
  const { invitations } = deps;
  const t = (res: Response) => res.locals.t as (k: string, o?: object) => string;

  /** What the invitation page shows depends on who opens it. */
  function locals(
    req: Request,
    res: Response,
    view: InvitationView,
    values: Record<string, string>,
  ) {
    const signedIn = req.user ?? null;
    const existing = view.existingUser;
    const state = existing
      ? !signedIn
        ? 'signInFirst'
        : signedIn.id === existing._id
          ? 'join'
          : 'otherAccount'
      : signedIn
        ? 'otherAccount'
        : 'create';
    return {
      pageTitle: t(res)('invitations.accept.title', { name: view.issuer.name }),
      issuerName: view.issuer.name,
      email: view.doc.email,
      role: t(res)(`roles.${view.doc.role ?? 'member'}`),
      isCreate: state === 'create',
      isJoin: state === 'join',
      isSignInFirst: state === 'signInFirst',
      isOtherAccount: state === 'otherAccount',
      signInUrl: `/connexion?retour=${encodeURIComponent(req.originalUrl)}`,
      values,
      passwordHint: t(res)('accounts.password.hint', { min: PASSWORD_MIN_LENGTH }),
    };
  }

  const show: RequestHandler = async (req, res) => {
    const checked = await invitations.check(str(req.params.token));
    if (!checked.ok) return renderInvalidLink(res, checked.reason, 'invitation');
    res.render('invitations/accept', locals(req, res, checked.value, { name: '' }));
  };

  const accept: RequestHandler = async (req, res) => {
    const token = str(req.params.token);
    const b = (req.body ?? {}) as Record<string, unknown>;
    const checked = await invitations.check(token);
    if (!checked.ok) return renderInvalidLink(res, checked.reason, 'invitation');
    let result;
    try {
      result = await invitations.accept({
        token,
        signedIn: req.user ?? null,
        name: b.name,
        password: b.password,
        passwordConfirm: b.passwordConfirm,
        language: res.locals.lang,
        ip: req.ip ?? '',
      });
    } catch (err) {
      return renderFormErrors(
        res,
        err,
        'invitations/accept',
        locals(req, res, checked.value, { name: str(b.name) }),
      );
    }
    if (!result.ok) {
      if (result.reason === 'signInFirst' || result.reason === 'otherAccount') {
        return res
          .status(409)
          .render('invitations/accept', locals(req, res, checked.value, { name: str(b.name) }));
      }
      return renderInvalidLink(res, result.reason, 'invitation');
    }
    if (result.created) await logIn(req, result.user, deps.clock());
    flash(req, {
      kind: 'ok',
      key: result.created ? 'invitations.accept.welcome' : 'invitations.accept.joined',
      params: { name: result.issuer.name },
    });
    res.redirect(303, homeFor(result.user));
  };

  return { show, accept };
}
