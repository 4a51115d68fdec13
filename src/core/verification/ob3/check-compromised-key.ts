import { StepId } from '../report.js';
import {
  isObject,
  issuerIdOf,
  step,
  str,
  type Json,
  type SignatureResult,
  type VerifyOb3Options,
} from './ob3-context.js';

/**
 * A key this platform's registry says its issuer declared compromised is named as such before
 * anything is fetched: its documents are withdrawn (410) and it is listed nowhere, so the
 * signature step would otherwise only say "key not found".
 */
export async function compromisedKeyResult(
  credential: Json,
  keyIds: readonly unknown[],
  options: VerifyOb3Options,
  format: SignatureResult['format'],
): Promise<SignatureResult | undefined> {
  const issuerId = issuerIdOf(credential);
  if (!options.issuerKeyStatus || !issuerId) return undefined;
  for (const keyId of keyIds) {
    if (typeof keyId !== 'string' || keyId === '') continue;
    if ((await options.issuerKeyStatus(issuerId, keyId)) !== 'compromised') continue;
    const issuer = credential.issuer;
    const name = (isObject(issuer) ? str(issuer.name) : undefined) ?? issuerId;
    return {
      format,
      steps: [
        step(StepId.issuer, false, 'error', 'verify.steps.issuer.key_compromised', {
          params: { name },
          detail: `${keyId} was declared compromised by its issuer`,
        }),
      ],
    };
  }
  return undefined;
}
