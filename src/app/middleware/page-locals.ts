import type { Request, RequestHandler, Response } from 'express';
import type { TFunction } from 'i18next';
import { hasRoleInSomeIssuer } from '../../libraries/authz/authorization.js';

/**
 * What every page needs: the signed-in person for the header, a lazily created CSRF token
 * (`{{csrfField}}` in forms; no cookie is set on pages without a form) and one-time messages.
 */
export function pageLocals(deps: {
  publicUrl: string;
  csrfTokenFor: (req: Request, res: Response) => string;
}): RequestHandler {
  return (req, res, next) => {
    res.locals.publicUrl = deps.publicUrl;
    let token: string | undefined;
    res.locals.csrfToken = () => {
      if (token === undefined) {
        token = deps.csrfTokenFor(req, res);
        // A page holding a CSRF token is personal: no shared cache may keep it.
        res.setHeader('Cache-Control', 'no-store');
      }
      return token;
    };
    const user = req.user;
    if (user) {
      res.locals.currentUser = {
        name: user.name,
        email: user.email,
        isAdmin: user.isAdmin,
        isStaff: hasRoleInSomeIssuer(user, ['owner', 'coordinator']),
        isOwner: hasRoleInSomeIssuer(user, ['owner']),
      };
      // Pages of signed-in people are personal: never cached by a browser or a proxy.
      res.setHeader('Cache-Control', 'no-store');
    }
    // One-time messages are taken when a page is rendered (not an error page), not by whatever
    // GET comes first: an image or an error page of the previous page, still loading, must not
    // swallow "Badge créé".
    let flash: { kind: string; message: string }[] | undefined;
    Object.defineProperty(res.locals, 'flash', {
      enumerable: true,
      configurable: true,
      get() {
        if (
          flash === undefined &&
          req.method === 'GET' &&
          !res.locals.errorPage &&
          req.session?.flash?.length
        ) {
          const t = res.locals.t as TFunction;
          flash = req.session.flash.map((f) => ({
            kind: f.kind,
            message: String(t(f.key, f.params ?? {})),
          }));
          delete req.session.flash;
        }
        return flash;
      },
    });
    // express-session sends a response's headers before its end-of-request save finishes, so
    // a browser following a redirect could load the session without the message just added.
    // Saved first, the message is there; express-session then sees nothing left to save.
    const redirect = res.redirect.bind(res) as (...args: unknown[]) => void;
    res.redirect = ((...args: unknown[]) => {
      if (!req.session?.flash?.length) return redirect(...args);
      req.session.save((err) => (err ? next(err) : redirect(...args)));
    }) as Response['redirect'];
    next();
  };
}
