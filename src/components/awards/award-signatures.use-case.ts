import { credentialJwtClaims, signCredentialDataIntegrity } from '../../core/index.js';
import { authorize } from '../../libraries/authz/authorization.js';
import { NotFoundError } from '../../libraries/errors/app-error.js';
import type { AwardDoc } from './award.model.js';
import { toSecond, type Actor, type AwardsContext } from './awards.context.js';
import { signingKeyIdsOf } from './signing-keys.js';
import type { JwsSigner } from '../keys/keys.use-case.js';
import { ob2Assertion } from './award-documents.js';

/** Signing stored awards again: the holder's name, and every OB 2.0 JWS after a key rotation. */
export function awardSignaturesUseCases(ctx: AwardsContext) {
  const { clock, audit, urls, keys, awards, getIssuer } = ctx;
  const deps = ctx;

  /** OB 2.0 signed form: the assertion naming `signer`'s key as creator, signed by it. */
  async function signOb2(award: AwardDoc, signer: JwsSigner): Promise<AwardDoc['ob2']> {
    const payload = ob2Assertion(award, urls, { keyId: signer.keyId });
    return { jws: await signer.sign(JSON.stringify(payload)), keyId: signer.keyId };
  }

  /** The credential signed now by the issuer's active keys, in both OB 3.0 forms. */
  async function signOb3Forms(issuerId: string, credential: Record<string, unknown>) {
    const claims = credential as unknown as Parameters<typeof credentialJwtClaims>[0];
    await keys.ensureIssuerKeys(issuerId);
    const jws = await keys.jwsSigner(issuerId);
    const did = urls.issuerDid(issuerId);
    const signer = await keys.dataIntegritySigner(issuerId, (k) => `${did}#${k._id}`);
    const signed = await signCredentialDataIntegrity(
      claims,
      { verificationMethod: signer.id, signer },
      { created: toSecond(clock()), documentLoader: deps.documentLoader },
    );
    const jwt = await jws.sign(JSON.stringify({ ...claims, ...credentialJwtClaims(claims) }), {
      kid: urls.jwk(issuerId, jws.keyId),
      typ: 'JWT',
    });
    return { signed: signed as Record<string, unknown>, jwt, keyIds: [jws.keyId, signer.keyId] };
  }

  /**
   * Signs the award's OB 3.0 credential again (Data Integrity and VC-JWT, the issuer's active
   * keys) with or without an unhashed `name` IdentityObject beside the hashed email, as the
   * recipient chose when accepting it. Everything else is kept as issued, the status list
   * entry included (a revocation still flips the same bit). The OB 2.0 forms do not change:
   * pages read the name from the award.
   */
  async function signHolderName(awardId: string, displayName: string | undefined): Promise<void> {
    const award = await awards.findById(awardId);
    if (!award) throw new NotFoundError();
    const { proof: _proof, ...unsigned } = JSON.parse(award.ob3.credential) as Record<
      string,
      unknown
    > & { credentialSubject: { identifier?: Record<string, unknown>[] } };
    const kept = (unsigned.credentialSubject.identifier ?? []).filter(
      (i) => i.identityType !== 'name',
    );
    unsigned.credentialSubject.identifier = displayName
      ? [
          ...kept,
          {
            type: 'IdentityObject',
            identityType: 'name',
            hashed: false,
            identityHash: displayName,
          },
        ]
      : kept;
    const { signed, jwt, keyIds: ob3KeyIds } = await signOb3Forms(award.issuerId, unsigned);
    // Exactly the keys the stored documents now carry (the OB 2.0 JWS is unchanged).
    const keyIds = new Set([award.ob2.keyId, ...ob3KeyIds]);
    await awards.setOb3(award._id, { ...award.ob3, credential: JSON.stringify(signed), jwt }, [
      ...keyIds,
    ]);
    // Cached verification results of this credential must be computed again.
    deps.changes?.bump();
  }

  /**
   * The award's OB 3.0 credential for a wallet (src/components/wallet): the stored credential
   * with the wallet's DID as `credentialSubject.id` when it proved one, signed now by the
   * issuer's active keys in both forms. Nothing is stored: the status entry is kept, so
   * revoking the award revokes these copies too.
   */
  async function signForWallet(
    awardId: string,
    holderDid: string | undefined,
  ): Promise<{ credential: Record<string, unknown>; jwt: string }> {
    const award = await awards.findById(awardId);
    if (!award) throw new NotFoundError();
    const { proof: _proof, ...unsigned } = JSON.parse(award.ob3.credential) as Record<
      string,
      unknown
    > & { credentialSubject: Record<string, unknown> };
    if (holderDid) unsigned.credentialSubject = { id: holderDid, ...unsigned.credentialSubject };
    const { signed, jwt } = await signOb3Forms(award.issuerId, unsigned);
    return { credential: signed, jwt };
  }

  return {
    signHolderName,
    signForWallet,

    /**
     * New RSA and Ed25519 keys sign from now on; old keys stay published. Every stored OB 2.0
     * JWS of the issuer is signed again with the new RSA key (the issuer profile lists only
     * that key, and the reference validator checks signed badges against it); OB 3.0 proofs
     * stay as they are (the did.json lists every key).
     */
    async rotateIssuerKeys(input: {
      actor: Actor;
      ip: string;
      issuerId: string;
    }): Promise<{ created: string[]; retired: string[]; resigned: number }> {
      authorize(input.actor, 'issuer.rotateKeys', { issuerId: input.issuerId });
      const issuer = await getIssuer(input.issuerId);
      await keys.ensureIssuerKeys(issuer._id);
      const rotation = await keys.rotateIssuerKeys(issuer._id);
      deps.changes?.bump();
      const signer = await keys.jwsSigner(issuer._id);
      let resigned = 0;
      // Twice: a badge issued by another process with the old key during the first pass is
      // caught by the second.
      for (let pass = 0; pass < 2; pass++) {
        for await (const award of awards.signedWithOtherKey(issuer._id, signer.keyId)) {
          const keyIds = signingKeyIdsOf(award, urls).add(signer.keyId);
          await awards.setOb2(award._id, await signOb2(award, signer), [...keyIds]);
          resigned++;
        }
      }
      const created = rotation.created.map((k) => k._id);
      await audit.record({
        action: 'key.rotated',
        actor: input.actor,
        target: { type: 'issuer', id: issuer._id },
        issuerId: issuer._id,
        ip: input.ip,
        details: {
          created: created.join(', '),
          retired: rotation.retired.join(', '),
          resigned,
        },
      });
      return { created, retired: rotation.retired, resigned };
    },
  };
}
