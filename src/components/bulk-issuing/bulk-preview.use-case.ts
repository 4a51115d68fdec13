import { randomBytes } from 'node:crypto';
import { authorize } from '../../libraries/authz/authorization.js';
import { ValidationError, type FieldError } from '../../libraries/errors/app-error.js';
import { isLanguage } from '../../libraries/i18n/i18n.js';
import { checkIssueRequest } from '../awards/awards.use-case.js';
import { parseBulkCsv } from './bulk-csv.js';
import type { BulkRowDoc, BulkRunDoc } from './bulk-run.model.js';

import { COLUMN_OF_FIELD, type Actor, type BulkIssuingContext } from './bulk-issuing.context.js';

/** A CSV read and checked row by row, issuing nothing: the preview the coordinator confirms. */
export function bulkPreviewUseCases(ctx: BulkIssuingContext) {
  const { clock, repo } = ctx;
  return {
    /**
     * Reads an uploaded CSV for a badge and checks every row, issuing nothing: the run is kept
     * as a preview the coordinator confirms. File-level problems (no email column, too many
     * rows, not a CSV) are a ValidationError on `fichier`.
     */
    async upload(input: {
      actor: Actor;
      ip: string;
      issuerId: string;
      badgeClassId: string;
      fileName: string;
      text: string | undefined;
      lang: string;
    }): Promise<BulkRunDoc> {
      authorize(input.actor, 'award.issue', { issuerId: input.issuerId });
      const errors: FieldError[] = [];
      const badge = await ctx.badgeClasses.findById(input.badgeClassId);
      const issuable =
        badge &&
        badge.issuerId === input.issuerId &&
        badge.status === 'active' &&
        !(await ctx.badgeClasses.findNextVersion(badge._id));
      if (!issuable) errors.push({ field: 'badgeClassId', messageKey: 'awards.errors.badgeClass' });
      if (input.text === undefined) {
        errors.push({ field: 'fichier', messageKey: 'bulk.errors.noFile' });
        throw new ValidationError(errors);
      }
      const parsed = parseBulkCsv(input.text);
      if (!parsed.ok) {
        errors.push({
          field: 'fichier',
          messageKey: parsed.messageKey,
          params: parsed.params ?? {},
        });
      }
      if (errors.length || !parsed.ok || !badge) throw new ValidationError(errors);

      const runId = randomBytes(9).toString('base64url');
      const firstLine = new Map<string, number>();
      const rows: BulkRowDoc[] = parsed.rows.map((r, index) => {
        const problems: BulkRowDoc['problems'] = [];
        const cells = r.cells;
        let email = cells.email.trim().toLowerCase();
        const evidence = [
          ...cells.preuves
            .split(/[\s|]+/)
            .filter(Boolean)
            .map((url) => ({ url })),
          ...(cells.description ? [{ narrative: cells.description }] : []),
        ];
        try {
          const checked = checkIssueRequest(badge, {
            recipientEmail: cells.email,
            evidence,
            narrative: cells.commentaire,
          });
          email = checked.email;
        } catch (err) {
          if (!(err instanceof ValidationError)) throw err;
          for (const e of err.fieldErrors) {
            const column = COLUMN_OF_FIELD[e.field] ?? 'email';
            problems.push(
              column === 'email'
                ? cells.email
                  ? {
                      column,
                      messageKey: 'bulk.problems.email',
                      params: { value: cells.email.slice(0, 80) },
                    }
                  : { column, messageKey: 'bulk.problems.emailMissing' }
                : {
                    column,
                    messageKey: e.messageKey,
                    params: (e.params ?? {}) as Record<string, string | number>,
                  },
            );
          }
        }
        if (cells.langue && !isLanguage(cells.langue.toLowerCase())) {
          problems.push({
            column: 'langue',
            messageKey: 'bulk.problems.lang',
            params: { value: cells.langue.slice(0, 20) },
          });
        }
        if (email && problems.every((p) => p.column !== 'email')) {
          const seen = firstLine.get(email);
          if (seen !== undefined) {
            problems.push({
              column: 'email',
              messageKey: 'bulk.problems.duplicate',
              params: { line: seen },
            });
          } else firstLine.set(email, r.line);
        }
        const lang = cells.langue.toLowerCase();
        return {
          _id: `${runId}:${index}`,
          runId,
          index,
          line: r.line,
          email,
          evidence,
          narrative: cells.commentaire,
          ...(isLanguage(lang) ? { lang } : {}),
          problems,
        };
      });
      const invalid = rows.filter((r) => r.problems.length > 0).length;
      // A person who already holds the badge gets nothing more: the preview says so up front.
      const holders = await ctx.awardsRepo.holdersOf(
        badge._id,
        rows.filter((r) => r.problems.length === 0).map((r) => r.email),
      );
      let held = 0;
      for (const row of rows) {
        if (row.problems.length === 0 && holders.has(row.email)) {
          row.alreadyHeld = true;
          held++;
        }
      }
      const run: BulkRunDoc = {
        _id: runId,
        issuerId: input.issuerId,
        badgeClassId: badge._id,
        fileName: input.fileName.slice(0, 200),
        status: 'preview',
        actor: {
          id: input.actor.id,
          ...(input.actor.email ? { email: input.actor.email } : {}),
          isAdmin: input.actor.isAdmin,
          ...(input.actor.roles[input.issuerId] ? { role: input.actor.roles[input.issuerId] } : {}),
        },
        ip: input.ip,
        lang: input.lang === 'en' ? 'en' : 'fr',
        rows: rows.length,
        validRows: rows.length - invalid,
        invalidRows: invalid,
        heldRows: held,
        progress: { processed: 0, issued: 0, already: 0, failed: 0 },
        createdAt: clock(),
      };
      await repo.insertRun(run, rows);
      return run;
    },

    /** The rows to fix, in file order (at most `limit`). */

    async problemRows(runId: string, limit: number): Promise<BulkRowDoc[]> {
      return (await repo.rowsOf(runId)).filter((r) => r.problems.length > 0).slice(0, limit);
    },

    /** The rows that will receive the badge once confirmed, in file order (at most `limit`). */
    async rowsToIssue(runId: string, limit: number): Promise<BulkRowDoc[]> {
      return (await repo.rowsOf(runId))
        .filter((r) => r.problems.length === 0 && !r.alreadyHeld)
        .slice(0, limit);
    },
  };
}
