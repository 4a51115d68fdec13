/**
 * Recipes: plain data that say how to build one hostile (or genuine) input. fast-check
 * generates and shrinks recipes; `build.ts` turns one into bytes with the world's keys and
 * knows, from the recipe alone, whether the claimed issuer signed it (the oracle).
 */
import fc from 'fast-check';
import {
  ISSUER_NAMES,
  KEY_DOC_STYLES,
  KEY_NAMES,
  OB2_ISSUER_NAMES,
  type IssuerName,
  type KeyDocStyle,
  type KeyName,
} from './world.js';

/** Which key reference the input names (verificationMethod, kid, OB 2.0 creator). */
export type KeyRef =
  | { t: 'canonical' } // the reference the signer's owner lists for it
  | { t: 'claimRef' } // the claimed issuer's own reference, whatever key signs
  | { t: 'evil'; style: KeyDocStyle } // an attacker document binding the key to the issuer
  | { t: 'orphan'; style: KeyDocStyle } // on the issuer's own site, but not listed by it
  | { t: 'evilDid' } // did:web:evil.example#…, method controller = the issuer
  | { t: 'didKey' } // did:key of the signing key
  | { t: 'fragment' } // <issuer id>#<multibase of the signing key>
  | { t: 'raw'; value: string }; // any string

export type HeaderTrick =
  | { t: 'alg'; alg: 'none' | 'HS256' | 'RS256' | 'EdDSA' | 'ES256' | 'PS256' | 'RS512' }
  | { t: 'jwk' }
  | { t: 'dropKid' }
  | { t: 'jku' }
  | { t: 'x5u' }
  | { t: 'x5c'; value: string }
  | { t: 'crit'; name: string }
  | { t: 'b64false' }
  | { t: 'typ'; value: string }
  | { t: 'kid'; ref: KeyRef };

/** Edits of the document before it is signed. `rename`/`describe` keep a valid badge. */
export type PreEdit =
  | { t: 'rename'; value: string }
  | { t: 'describe'; value: string }
  | { t: 'drop'; field: 'name' | 'validFrom' | 'credentialSubject' | 'type' | 'id' | '@context' }
  | { t: 'extraTerm'; key: string; value: fc.JsonValue }
  | { t: 'typeTrick'; variant: number }
  | { t: 'contextSwap'; variant: number }
  | { t: 'expired' }
  | { t: 'issuerString' }
  | { t: 'issMismatch'; claim: IssuerName };

/** Mutations after signing: each changes signed bytes unless said otherwise. */
export type PostMutation =
  | { t: 'flip'; part: 0 | 1 | 2; pos: number; bit: number } // JWS: header, payload, signature
  | { t: 'truncSig'; keep: number }
  | { t: 'dropSig' }
  | { t: 'headerEdit'; trick: HeaderTrick }
  | { t: 'payloadEdit'; edit: DocEdit }
  | { t: 'proofValueChar'; pos: number; shift: number } // DI
  | { t: 'proofVm'; ref: KeyRef; claim: IssuerName; key: KeyName }
  | { t: 'cryptosuite'; name: string }
  | { t: 'purpose'; name: string }
  | { t: 'proofType'; name: string }
  | { t: 'created' }
  | { t: 'dropProof' }
  | { t: 'docEdit'; edit: DocEdit }
  | { t: 'extraProof' }; // adds a second, forged proof: the first still signs the content

export type DocEdit =
  | { t: 'rename'; value: string }
  | { t: 'issuer'; claim: IssuerName }
  | { t: 'extraTerm'; key: string; value: fc.JsonValue }
  | { t: 'typeAppend' }
  | { t: 'dropOb3Context' }
  | { t: 'inlineContext' };

export type PngHostile =
  | { t: 'truncate'; permille: number }
  | { t: 'lengthPastEnd'; delta: number }
  | { t: 'dimensions'; width: number; height: number }
  | { t: 'ztxtBomb' }
  | { t: 'itxtCompressed'; bomb: boolean }
  | { t: 'manyChunks'; n: number }
  | { t: 'duplicate' }
  | { t: 'badCrc' }
  | { t: 'textTooLarge'; kb: number };

export type SvgHostile =
  | { t: 'laughs'; levels: number }
  | { t: 'cdata'; kb: number }
  | { t: 'nest'; depth: number }
  | { t: 'script' }
  | { t: 'onload' }
  | { t: 'xxe' }
  | { t: 'duplicate' }
  | { t: 'jsHref' }
  | { t: 'truncate'; permille: number };

export type Container =
  | { way: 'text' | 'file' | 'url' }
  | { way: 'png'; hostile?: PngHostile }
  | { way: 'svg'; asFile: boolean; hostile?: SvgHostile };

export interface SignedRecipe {
  kind: 'ob3-di' | 'ob3-jwt' | 'ob2-signed';
  claim: IssuerName;
  signer: KeyName;
  ref: KeyRef;
  /** OB 2.0: the badge class is the claimed issuer's own, or one the attacker serves. */
  evilClass: boolean;
  headers: HeaderTrick[];
  pre: PreEdit[];
  post: PostMutation[];
  container: Container;
}

export interface HostedRecipe {
  kind: 'ob2-hosted';
  claim: (typeof OB2_ISSUER_NAMES)[number];
  variant: 'genuine' | 'evilSelf' | 'evilVictimId' | 'mirror' | 'editedPaste';
  which: 0 | 1;
  container: Container;
}

export type NoiseRecipe =
  | { kind: 'bytes'; bytes: Uint8Array; asText: boolean }
  | { kind: 'string'; text: string; way: 'text' | 'file' }
  | { kind: 'json'; flavor: 'ob3' | 'ob2' | 'plain'; claim: IssuerName; value: fc.JsonValue }
  | { kind: 'jwslike'; header: fc.JsonValue; payload: fc.JsonValue; sig: string; vc: boolean }
  | { kind: 'image'; text: string; container: Container };

export type Recipe = SignedRecipe | HostedRecipe | NoiseRecipe;

// --- arbitraries ---------------------------------------------------------------------------

const claim = fc.constantFrom<IssuerName>(...ISSUER_NAMES);
const keyName = fc.constantFrom<KeyName>(...KEY_NAMES);
const style = fc.constantFrom<KeyDocStyle>(...KEY_DOC_STYLES);
const shortText = fc.string({ maxLength: 40 });
const json = fc.jsonValue({ maxDepth: 3 });

export const keyRefArb: fc.Arbitrary<KeyRef> = fc.oneof(
  { arbitrary: fc.constant({ t: 'canonical' } as const), weight: 3 },
  { arbitrary: fc.constant({ t: 'claimRef' } as const), weight: 3 },
  { arbitrary: style.map((s) => ({ t: 'evil', style: s }) as const), weight: 4 },
  { arbitrary: style.map((s) => ({ t: 'orphan', style: s }) as const), weight: 3 },
  { arbitrary: fc.constant({ t: 'evilDid' } as const), weight: 2 },
  { arbitrary: fc.constant({ t: 'didKey' } as const), weight: 1 },
  { arbitrary: fc.constant({ t: 'fragment' } as const), weight: 1 },
  {
    arbitrary: fc
      .oneof(fc.webUrl(), fc.string({ maxLength: 60 }), fc.constant('did:web:127.0.0.1'))
      .map((value) => ({ t: 'raw', value }) as const),
    weight: 1,
  },
);

const headerTrick: fc.Arbitrary<HeaderTrick> = fc.oneof(
  fc
    .constantFrom('none', 'HS256', 'RS256', 'EdDSA', 'ES256', 'PS256', 'RS512' as const)
    .map((alg) => ({ t: 'alg', alg }) as const),
  fc.constant({ t: 'jwk' } as const),
  fc.constant({ t: 'dropKid' } as const),
  fc.constant({ t: 'jku' } as const),
  fc.constant({ t: 'x5u' } as const),
  fc.base64String({ maxLength: 80 }).map((value) => ({ t: 'x5c', value }) as const),
  fc.constantFrom('exp', 'b64', 'zip', 'x-coop').map((name) => ({ t: 'crit', name }) as const),
  fc.constant({ t: 'b64false' } as const),
  fc
    .constantFrom('JWT', 'vc+ld+jwt', 'vc+jwt', 'JOSE', '')
    .map((value) => ({ t: 'typ', value }) as const),
  keyRefArb.map((ref) => ({ t: 'kid', ref }) as const),
);

const docEdit: fc.Arbitrary<DocEdit> = fc.oneof(
  shortText.map((value) => ({ t: 'rename', value }) as const),
  claim.map((c) => ({ t: 'issuer', claim: c }) as const),
  fc
    .record({ key: fc.constantFrom('evilTerm', 'role', 'admin', '@id', '@type'), value: json })
    .map(({ key, value }) => ({ t: 'extraTerm', key, value }) as const),
  fc.constant({ t: 'typeAppend' } as const),
  fc.constant({ t: 'dropOb3Context' } as const),
  fc.constant({ t: 'inlineContext' } as const),
);

const preEdit: fc.Arbitrary<PreEdit> = fc.oneof(
  { arbitrary: shortText.map((value) => ({ t: 'rename', value }) as const), weight: 3 },
  { arbitrary: shortText.map((value) => ({ t: 'describe', value }) as const), weight: 2 },
  {
    arbitrary: fc
      .constantFrom('name', 'validFrom', 'credentialSubject', 'type', 'id', '@context' as const)
      .map((field) => ({ t: 'drop', field }) as const),
    weight: 1,
  },
  {
    arbitrary: fc
      .record({ key: fc.constantFrom('evilTerm', 'role', '@id', '@type', 'proof'), value: json })
      .map(({ key, value }) => ({ t: 'extraTerm', key, value }) as const),
    weight: 1,
  },
  { arbitrary: fc.nat(5).map((variant) => ({ t: 'typeTrick', variant }) as const), weight: 1 },
  { arbitrary: fc.nat(4).map((variant) => ({ t: 'contextSwap', variant }) as const), weight: 1 },
  { arbitrary: fc.constant({ t: 'expired' } as const), weight: 1 },
  { arbitrary: fc.constant({ t: 'issuerString' } as const), weight: 1 },
  { arbitrary: claim.map((c) => ({ t: 'issMismatch', claim: c }) as const), weight: 1 },
);

const jwsPost: fc.Arbitrary<PostMutation> = fc.oneof(
  fc
    .record({ part: fc.constantFrom(0, 1, 2 as const), pos: fc.nat(4096), bit: fc.nat(7) })
    .map((r) => ({ t: 'flip', ...r }) as const),
  fc.nat(400).map((keep) => ({ t: 'truncSig', keep }) as const),
  fc.constant({ t: 'dropSig' } as const),
  headerTrick.map((trick) => ({ t: 'headerEdit', trick }) as const),
  docEdit.map((edit) => ({ t: 'payloadEdit', edit }) as const),
);

const diPost: fc.Arbitrary<PostMutation> = fc.oneof(
  fc
    .record({ pos: fc.nat(200), shift: fc.nat(56) })
    .map((r) => ({ t: 'proofValueChar', ...r }) as const),
  fc.record({ ref: keyRefArb, claim, key: keyName }).map((r) => ({ t: 'proofVm', ...r }) as const),
  fc
    .constantFrom('eddsa-2022', 'ecdsa-rdfc-2019', 'eddsa-jcs-2022', 'bbs-2023', '')
    .map((name) => ({ t: 'cryptosuite', name }) as const),
  fc
    .constantFrom('authentication', 'capabilityInvocation', 'keyAgreement')
    .map((name) => ({ t: 'purpose', name }) as const),
  fc
    .constantFrom('Ed25519Signature2020', 'Ed25519Signature2018', 'JsonWebSignature2020')
    .map((name) => ({ t: 'proofType', name }) as const),
  fc.constant({ t: 'created' } as const),
  fc.constant({ t: 'dropProof' } as const),
  docEdit.map((edit) => ({ t: 'docEdit', edit }) as const),
  fc.constant({ t: 'extraProof' } as const),
);

const pngHostile: fc.Arbitrary<PngHostile> = fc.oneof(
  fc.nat(999).map((permille) => ({ t: 'truncate', permille }) as const),
  fc.integer({ min: 1, max: 0x7fffffff }).map((delta) => ({ t: 'lengthPastEnd', delta }) as const),
  fc
    .record({
      width: fc.oneof(fc.integer({ min: 0, max: 0x7fffffff }), fc.constant(8192)),
      height: fc.oneof(fc.integer({ min: 0, max: 0x7fffffff }), fc.constant(8192)),
    })
    .map((r) => ({ t: 'dimensions', ...r }) as const),
  fc.constant({ t: 'ztxtBomb' } as const),
  fc.boolean().map((bomb) => ({ t: 'itxtCompressed', bomb }) as const),
  fc.integer({ min: 1, max: 12_000 }).map((n) => ({ t: 'manyChunks', n }) as const),
  fc.constant({ t: 'duplicate' } as const),
  fc.constant({ t: 'badCrc' } as const),
  fc.integer({ min: 100, max: 2500 }).map((kb) => ({ t: 'textTooLarge', kb }) as const),
);

const svgHostile: fc.Arbitrary<SvgHostile> = fc.oneof(
  fc.integer({ min: 1, max: 9 }).map((levels) => ({ t: 'laughs', levels }) as const),
  fc.integer({ min: 1, max: 1500 }).map((kb) => ({ t: 'cdata', kb }) as const),
  fc.integer({ min: 1, max: 5000 }).map((depth) => ({ t: 'nest', depth }) as const),
  fc.constant({ t: 'script' } as const),
  fc.constant({ t: 'onload' } as const),
  fc.constant({ t: 'xxe' } as const),
  fc.constant({ t: 'duplicate' } as const),
  fc.constant({ t: 'jsHref' } as const),
  fc.nat(999).map((permille) => ({ t: 'truncate', permille }) as const),
);

export const containerArb: fc.Arbitrary<Container> = fc.oneof(
  { arbitrary: fc.constant({ way: 'text' } as const), weight: 6 },
  { arbitrary: fc.constant({ way: 'file' } as const), weight: 1 },
  { arbitrary: fc.constant({ way: 'url' } as const), weight: 2 },
  { arbitrary: fc.constant({ way: 'png' } as const), weight: 2 },
  { arbitrary: fc.boolean().map((asFile) => ({ way: 'svg', asFile }) as const), weight: 2 },
  { arbitrary: pngHostile.map((hostile) => ({ way: 'png', hostile }) as const), weight: 2 },
  {
    arbitrary: fc
      .record({ asFile: fc.boolean(), hostile: svgHostile })
      .map((r) => ({ way: 'svg', ...r }) as const),
    weight: 2,
  },
);

const cleanContainer: fc.Arbitrary<Container> = fc.oneof(
  { arbitrary: fc.constant({ way: 'text' } as const), weight: 4 },
  { arbitrary: fc.constant({ way: 'file' } as const), weight: 1 },
  { arbitrary: fc.constant({ way: 'url' } as const), weight: 1 },
  { arbitrary: fc.constant({ way: 'png' } as const), weight: 2 },
  { arbitrary: fc.boolean().map((asFile) => ({ way: 'svg', asFile }) as const), weight: 2 },
);

const signedKinds = fc.constantFrom('ob3-di', 'ob3-jwt', 'ob2-signed' as const);

/** Signed by the right key, named as the issuer names it: these must verify. */
const genuineArb: fc.Arbitrary<SignedRecipe> = fc
  .record({
    kind: signedKinds,
    claim: fc.constantFrom<IssuerName>('foreign', 'foreignDid', 'own', 'attacker', 'didkey'),
    pre: fc.array(
      fc.oneof(
        shortText.map((value) => ({ t: 'rename', value }) as const),
        shortText.map((value) => ({ t: 'describe', value }) as const),
      ),
      { maxLength: 2 },
    ),
    container: cleanContainer,
    pick: fc.nat(1),
  })
  .map(({ kind, claim: c, pre, container, pick }) => {
    const ob2 = kind === 'ob2-signed';
    const issuer: IssuerName = ob2 && c === 'didkey' ? 'foreign' : c;
    const listed = genuineSigners(kind, issuer);
    return {
      kind,
      claim: issuer,
      signer: listed[pick % listed.length]!,
      ref: { t: 'canonical' },
      evilClass: false,
      headers: [],
      pre,
      post: [],
      container,
    } satisfies SignedRecipe;
  });

/** The keys an issuer's own documents list for a format (the oracle's "listed"). */
export function genuineSigners(kind: SignedRecipe['kind'], issuer: IssuerName): KeyName[] {
  const byIssuer: Record<IssuerName, KeyName[]> = {
    foreign: ['foreignEd', 'foreignRsa'],
    foreignDid: ['didEd', 'didRsa'],
    own: ['ownEd', 'ownRsa'],
    attacker: ['evilEd', 'evilRsa'],
    didkey: ['didkeyEd'],
    ghostOwn: [],
    ghostForeign: [],
  };
  const keys = byIssuer[issuer];
  if (kind === 'ob3-di') return keys.filter((k) => k.endsWith('Ed'));
  if (kind === 'ob2-signed')
    return issuer === 'didkey' ? [] : keys.filter((k) => k.endsWith('Rsa'));
  return keys;
}

const hostileSignedArb: fc.Arbitrary<SignedRecipe> = fc
  .record({
    kind: signedKinds,
    claim,
    signer: keyName,
    ref: keyRefArb,
    evilClass: fc.boolean(),
    headers: fc.array(headerTrick, { maxLength: 3 }),
    pre: fc.array(preEdit, { maxLength: 2 }),
    post: fc.array(fc.oneof(jwsPost, diPost), { maxLength: 2 }),
    container: containerArb,
  })
  .map((r) => ({
    ...r,
    // Post-signing mutations of the other family do not apply: keep those that do.
    post: r.post.filter((p) => (r.kind === 'ob3-di' ? !JWS_ONLY.has(p.t) : !DI_ONLY.has(p.t))),
    headers: r.kind === 'ob3-di' ? [] : r.headers,
  }));

const JWS_ONLY = new Set(['flip', 'truncSig', 'dropSig', 'headerEdit', 'payloadEdit']);
const DI_ONLY = new Set([
  'proofValueChar',
  'proofVm',
  'cryptosuite',
  'purpose',
  'proofType',
  'created',
  'dropProof',
  'docEdit',
  'extraProof',
]);

const hostedArb: fc.Arbitrary<HostedRecipe> = fc.record({
  kind: fc.constant('ob2-hosted' as const),
  claim: fc.constantFrom(...OB2_ISSUER_NAMES),
  variant: fc.constantFrom('genuine', 'evilSelf', 'evilVictimId', 'mirror', 'editedPaste' as const),
  which: fc.constantFrom(0, 1 as const),
  container: fc.oneof(
    { arbitrary: fc.constant({ way: 'url' } as const), weight: 4 },
    { arbitrary: containerArb, weight: 3 },
  ),
});

const noiseArb: fc.Arbitrary<NoiseRecipe> = fc.oneof(
  fc
    .record({ bytes: fc.uint8Array({ maxLength: 2048 }), asText: fc.boolean() })
    .map((r) => ({ kind: 'bytes', ...r }) as const),
  fc
    .record({
      text: fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 300 })),
      way: fc.constantFrom('text', 'file' as const),
    })
    .map((r) => ({ kind: 'string', ...r }) as const),
  fc
    .record({
      flavor: fc.constantFrom('ob3', 'ob2', 'plain' as const),
      claim,
      value: fc.jsonValue({ maxDepth: 4 }),
    })
    .map((r) => ({ kind: 'json', ...r }) as const),
  fc
    .record({
      header: json,
      payload: json,
      sig: fc.base64String({ maxLength: 120 }),
      vc: fc.boolean(),
    })
    .map((r) => ({ kind: 'jwslike', ...r }) as const),
  fc
    .record({ text: fc.string({ maxLength: 200 }), container: containerArb })
    .map((r) => ({ kind: 'image', ...r }) as const),
);

/** Every input kind, weighted: about one in nine is genuine. */
export const recipeArb: fc.Arbitrary<Recipe> = fc.oneof(
  { arbitrary: genuineArb, weight: 9 },
  { arbitrary: hostileSignedArb, weight: 55 },
  { arbitrary: hostedArb, weight: 12 },
  { arbitrary: noiseArb, weight: 12 },
);
