import type { Request, Response } from 'express';

/**
 * Redirects once the session is stored. express-session sends a response's headers (and so a
 * redirect's Location) before its store has saved a changed session: the browser can load the
 * next page with the old session, and a one-time message (flash) set just before is lost.
 * Seen in Chromium with FerretDB, whose writes take a few milliseconds.
 */
export async function redirectAfterSave(
  req: Request,
  res: Response,
  url: string,
  status = 303,
): Promise<void> {
  if (req.session) {
    await new Promise<void>((resolve, reject) =>
      req.session.save((err: unknown) => (err ? reject(err as Error) : resolve())),
    );
  }
  res.redirect(status, url);
}
