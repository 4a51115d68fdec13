import jsonld from 'jsonld';
import { createDocumentLoader } from '../../jsonld/document-loader.js';
import type { Check } from '../engine.js';
import { StepId, type VerificationStep } from '../report.js';
import { asArray, isObject, parsedOf, step, type Json, type Ob3Context } from './ob3-context.js';

/**
 * OB 3.0 defines the `1EdTechRevocationList` status type, but its 3.0.x contexts do not (an
 * oversight of the spec), so safe mode would call every credential using it malformed. For the
 * terms check only, the type is given an IRI; signed content is never altered.
 */
const REVOCATION_LIST_TERM = {
  '1EdTechRevocationList': 'https://purl.imsglobal.org/spec/vcrl/v1p0/1EdTechRevocationList',
};

function withRevocationListTerm(credential: Json): Json {
  const uses = asArray(credential.credentialStatus).some(
    (s) => isObject(s) && asArray(s.type).includes('1EdTechRevocationList'),
  );
  if (!uses) return credential;
  return { ...credential, '@context': [...asArray(credential['@context']), REVOCATION_LIST_TERM] };
}

/** JSON-LD safe mode: every property and type must be defined by the contexts. */
async function checkJsonLd(
  credential: Json,
  documents?: ReadonlyMap<string, unknown>,
): Promise<string | undefined> {
  try {
    await jsonld.expand(
      withRevocationListTerm(credential) as jsonld.JsonLdDocument,
      {
        documentLoader: createDocumentLoader(documents) as never,
        safe: true,
      } as jsonld.Options.Expand,
    );
    return undefined;
  } catch (error) {
    const e = error as {
      message?: string;
      details?: { event?: { code?: string; details?: Json } };
    };
    const event = e.details?.event;
    return event
      ? `${event.code ?? ''} ${JSON.stringify(event.details ?? {})}`.trim()
      : (e.message ?? String(error));
  }
}

/**
 * JSON-LD terms (VC-JWT: always; Data Integrity: only what verified proofs did not cover, since
 * a verified eddsa/ecdsa proof already canonicalised the whole document in safe mode), then the
 * schema steps: structural problems (check-shape) and JSON-LD ones, listed before the signature.
 */
export const checkJsonLdTerms: Check<Ob3Context> = {
  id: 'jsonld',
  fatal: false,
  async run(ctx) {
    const parsed = parsedOf(ctx);
    let jsonLdProblem: string | undefined;
    if (parsed.jwt) {
      jsonLdProblem = await checkJsonLd(parsed.credential, ctx.options.documents);
    } else if (!ctx.signature?.coversDocument) {
      jsonLdProblem = await checkJsonLd(parsed.credential, ctx.options.documents);
      const failed = ctx.signature?.steps.find((s) => s.level === 'error');
      if (failed && jsonLdProblem)
        failed.detail = `${failed.detail ?? ''} (JSON-LD: ${jsonLdProblem})`;
    }
    const problems = ctx.shapeProblems ?? [];
    const schema: VerificationStep[] = [];
    if (problems.length > 0) {
      schema.push(
        step(StepId.schema, false, 'error', 'verify.steps.schema.invalid', {
          params: { count: problems.length },
          detail: problems.join('; '),
        }),
      );
    }
    if (jsonLdProblem) {
      schema.push(
        step(StepId.schema, false, 'error', 'verify.steps.schema.invalid_jsonld', {
          detail: jsonLdProblem,
        }),
      );
    }
    if (problems.length === 0 && !jsonLdProblem) {
      schema.push(step(StepId.schema, true, 'info', 'verify.steps.schema.valid'));
    }
    ctx.steps.splice(ctx.schemaAt ?? ctx.steps.length, 0, ...schema);
  },
};
