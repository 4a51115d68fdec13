import type { Request, RequestHandler, Response } from 'express';
import { can, issuerRoles, type IssuerRole } from '../../libraries/authz/authorization.js';
import { ValidationError, type FieldError } from '../../libraries/errors/app-error.js';
import { formErrors, renderFormErrors } from '../../libraries/web/forms.js';
import { flash } from '../accounts/accounts.middleware.js';
import type { InvitationsUseCases } from '../invitations/invitations.use-case.js';
import { issuerImageFrom } from './issuer-image.js';
import type { IssuersUseCases } from './issuers.use-case.js';
import { param, str } from '../../libraries/http/params.js';

/** The structure form's fields as typed (shown again when the form comes back with errors). */
function structureFields(b: Record<string, unknown>) {
  return {
    name: str(b.name),
    url: str(b.url),
    email: str(b.email),
    description: str(b.description),
    siret: str(b.siret),
    linkedinOrganizationId: str(b.linkedinOrganizationId),
  };
}

/** The logo sent with the form (or none); a file that is not a usable image is a field error. */
function uploadedLogo(req: Request) {
  const image = issuerImageFrom(req.file);
  if (image === 'invalid') {
    throw new ValidationError([{ field: 'image', messageKey: 'issuers.errors.imageInvalid' }]);
  }
  return image;
}

export function issuersController(deps: {
  issuers: IssuersUseCases;
  invitations: InvitationsUseCases;
}) {
  const { issuers, invitations } = deps;
  const t = (res: Response) => res.locals.t as (k: string, o?: object) => string;
  const roleLabel = (res: Response, role: IssuerRole) => t(res)(`roles.${role}`);

  const list: RequestHandler = async (req, res) => {
    const user = req.user!;
    const rows = await issuers.listFor(user);
    res.render('issuers/list', {
      pageTitle: t(res)('issuers.list.title'),
      navCurrent: 'issuers',
      canCreate: can(user, 'issuer.create'),
      issuers: rows.map(({ issuer, role }) => ({
        id: issuer._id,
        name: issuer.name,
        role: role ? roleLabel(res, role) : null,
        canManage: can(user, 'issuer.viewMembers', { issuerId: issuer._id }),
        canOpen: can(user, 'issuer.view', { issuerId: issuer._id }),
      })),
    });
  };

  const createLocals = (res: Response, values: Record<string, string>) => ({
    pageTitle: t(res)('issuers.create.title'),
    navCurrent: 'issuers',
    values,
  });

  const showCreate: RequestHandler = (_req, res) => {
    res.render(
      'issuers/create',
      createLocals(res, {
        name: '',
        url: '',
        email: '',
        description: '',
        siret: '',
        linkedinOrganizationId: '',
        ownerEmail: '',
      }),
    );
  };

  const create: RequestHandler = async (req, res) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    const values = { ...structureFields(b), ownerEmail: str(b.ownerEmail) };
    let result;
    try {
      const image = uploadedLogo(req);
      result = await issuers.createIssuer({
        actor: req.user!,
        ip: req.ip ?? '',
        lang: res.locals.lang,
        values: b,
        image,
      });
    } catch (err) {
      return renderFormErrors(res, err, 'issuers/create', createLocals(res, values));
    }
    const ownerKey =
      result.owner === 'added'
        ? 'issuers.create.doneOwnerAdded'
        : result.owner === 'invited'
          ? 'issuers.create.doneOwnerInvited'
          : 'issuers.create.doneMailFailed';
    flash(req, {
      kind: result.owner === 'mailFailed' ? 'warn' : 'ok',
      key: ownerKey,
      params: { name: result.issuer.name, email: values.ownerEmail.trim().toLowerCase() },
    });
    res.redirect(303, `/structures/${encodeURIComponent(result.issuer._id)}/membres`);
  };

  const editLocals = (
    res: Response,
    issuer: { _id: string; name: string; image?: { etag: string } | undefined },
    values: Record<string, string>,
  ) => ({
    pageTitle: t(res)('issuers.edit.titleOf', { name: issuer.name }),
    navCurrent: 'issuers',
    issuer: {
      id: issuer._id,
      name: issuer.name,
      image: issuer.image
        ? `/emetteurs/${encodeURIComponent(issuer._id)}/image?v=${issuer.image.etag}`
        : undefined,
    },
    values,
  });

  const showEdit: RequestHandler = async (req, res) => {
    const issuer = await issuers.getIssuer(param(req, 'issuerId'));
    res.render(
      'issuers/edit',
      editLocals(res, issuer, {
        name: issuer.name,
        url: issuer.url,
        email: issuer.email,
        description: issuer.description,
        siret: issuer.siret ?? '',
        linkedinOrganizationId: issuer.linkedinOrganizationId ?? '',
      }),
    );
  };

  const edit: RequestHandler = async (req, res) => {
    const issuerId = param(req, 'issuerId');
    const b = (req.body ?? {}) as Record<string, unknown>;
    const values = structureFields(b);
    let result;
    try {
      const image = uploadedLogo(req);
      result = await issuers.updateIssuer({
        actor: req.user!,
        ip: req.ip ?? '',
        issuerId,
        values: b,
        image,
      });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      // The page keeps the current name in its title and logo: nothing was saved.
      const current = await issuers.getIssuer(issuerId);
      return renderFormErrors(res, err, 'issuers/edit', editLocals(res, current, values));
    }
    flash(req, {
      kind: 'ok',
      key: result.changed.length ? 'issuers.edit.done' : 'issuers.edit.unchanged',
      params: { name: result.issuer.name },
    });
    res.redirect(303, `/structures/${encodeURIComponent(issuerId)}`);
  };

  async function renderMembers(
    req: Request,
    res: Response,
    options: { status?: number; fieldErrors?: FieldError[]; values?: Record<string, string> } = {},
  ): Promise<void> {
    const user = req.user!;
    const issuerId = param(req, 'issuerId');
    const issuer = await issuers.getIssuer(issuerId);
    const members = await issuers.members(user, issuerId);
    const pending = await invitations.pending(issuerId);
    const canChangeRoles = can(user, 'issuer.changeRoles', { issuerId });
    const canInviteCoordinators = can(user, 'issuer.inviteCoordinators', { issuerId });
    const errors = options.fieldErrors?.length
      ? formErrors(res.locals.t, options.fieldErrors)
      : undefined;
    const invitedRole = options.values?.role ?? 'member';
    res.status(options.status ?? 200).render('issuers/members', {
      pageTitle: errors
        ? `${t(res)('forms.errorTitlePrefix')} ${t(res)('issuers.members.title', { name: issuer.name })}`
        : t(res)('issuers.members.title', { name: issuer.name }),
      navCurrent: 'issuers',
      issuer: { id: issuer._id, name: issuer.name },
      members: members.map((m) => ({
        ...m,
        roleLabel: roleLabel(res, m.role),
        isSelf: m.userId === user.id,
        roles: issuerRoles.map((r) => ({
          value: r,
          label: roleLabel(res, r),
          selected: r === m.role,
        })),
      })),
      pending: pending.map((p) => ({
        id: p._id,
        email: p.email,
        roleLabel: roleLabel(res, p.role ?? 'member'),
        expiresAt: p.expiresAt,
      })),
      canChangeRoles,
      canInviteCoordinators,
      canEdit: can(user, 'issuer.edit', { issuerId }),
      inviteRoles: (['member', 'coordinator'] as const).map((r) => ({
        value: r,
        label: roleLabel(res, r),
        checked: r === invitedRole,
      })),
      values: { emails: '', ...options.values },
      errors,
    });
  }

  const members: RequestHandler = (req, res) => renderMembers(req, res);

  const invite: RequestHandler = async (req, res) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    const issuerId = param(req, 'issuerId');
    const role: IssuerRole = b.role === 'coordinator' ? 'coordinator' : 'member';
    let result;
    try {
      result = await invitations.invite({
        actor: req.user!,
        issuerId,
        emailsText: b.emails,
        role,
        ip: req.ip ?? '',
      });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return renderMembers(req, res, {
        status: 422,
        fieldErrors: err.fieldErrors,
        values: { emails: str(b.emails), role },
      });
    }
    if (result.sent.length) {
      flash(req, { kind: 'ok', key: 'invitations.sent', params: { count: result.sent.length } });
    }
    if (result.alreadyMembers.length) {
      flash(req, {
        kind: 'warn',
        key: 'invitations.alreadyMembers',
        params: { count: result.alreadyMembers.length, emails: result.alreadyMembers.join(', ') },
      });
    }
    if (result.failed.length) {
      flash(req, {
        kind: 'warn',
        key: 'invitations.failed',
        params: { count: result.failed.length, emails: result.failed.join(', ') },
      });
    }
    res.redirect(303, `/structures/${encodeURIComponent(issuerId)}/membres`);
  };

  const cancelInvitation: RequestHandler = async (req, res) => {
    const issuerId = param(req, 'issuerId');
    const cancelled = await invitations.cancel({
      actor: req.user!,
      issuerId,
      invitationId: param(req, 'invitationId'),
      ip: req.ip ?? '',
    });
    flash(req, {
      kind: 'ok',
      key: cancelled ? 'invitations.cancelled' : 'invitations.alreadyClosed',
    });
    res.redirect(303, `/structures/${encodeURIComponent(issuerId)}/membres#invitations`);
  };

  const memberAction =
    (run: (req: Request) => Promise<string>): RequestHandler =>
    async (req, res) => {
      const issuerId = param(req, 'issuerId');
      let key;
      try {
        key = await run(req);
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        return renderMembers(req, res, { status: 422, fieldErrors: err.fieldErrors });
      }
      flash(req, { kind: 'ok', key });
      res.redirect(303, `/structures/${encodeURIComponent(issuerId)}/membres`);
    };

  const changeRole = memberAction(async (req) => {
    const outcome = await issuers.changeRole({
      actor: req.user!,
      issuerId: param(req, 'issuerId'),
      userId: param(req, 'userId'),
      role: (req.body as Record<string, unknown> | undefined)?.role,
      ip: req.ip ?? '',
    });
    return outcome === 'changed' ? 'issuers.members.roleChanged' : 'issuers.members.roleUnchanged';
  });

  const removeMember = memberAction(async (req) => {
    const outcome = await issuers.removeMember({
      actor: req.user!,
      issuerId: param(req, 'issuerId'),
      userId: param(req, 'userId'),
      ip: req.ip ?? '',
    });
    return outcome === 'removed' ? 'issuers.members.removed' : 'issuers.members.alreadyRemoved';
  });

  return {
    list,
    showCreate,
    create,
    showEdit,
    edit,
    members,
    invite,
    cancelInvitation,
    changeRole,
    removeMember,
  };
}
