/**
 * A signing thread (see signing-pool.ts): decrypts the issuer keys it is given with the master
 * key received at its start, keeps them imported, and signs awards' forms. Errors go back as
 * their message only; no key is ever logged or sent back.
 */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { signAwardForms, signingTools, type AwardFormsJob } from './award-forms.js';
import { masterKeyFromBytes } from './master-key.js';
import type { SealedIssuerKeys } from './signing-pool.js';

const masterKey = masterKeyFromBytes(
  Buffer.from((workerData as { masterKey: Uint8Array }).masterKey),
);
const tools = signingTools();
const imported = new Map<string, KeyObject>();

function keyOf(sealed: SealedIssuerKeys['rsa']): KeyObject {
  let key = imported.get(sealed.doc._id);
  if (!key) {
    const der = masterKey.decrypt(sealed.doc.encryptedPrivateKey, sealed.aad);
    key = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
    der.fill(0);
    imported.set(sealed.doc._id, key);
  }
  return key;
}

parentPort!.on(
  'message',
  (msg: { id: number; keys: SealedIssuerKeys; job: AwardFormsJob } | { forget: string }) => {
    if ('forget' in msg) {
      imported.delete(msg.forget);
      return;
    }
    const { id, keys, job } = msg;
    Promise.resolve()
      .then(() =>
        signAwardForms(
          {
            rsa: keyOf(keys.rsa),
            ed: keyOf(keys.ed),
            verificationMethod: keys.verificationMethod,
            jwtKid: keys.jwtKid,
          },
          job,
          tools,
        ),
      )
      .then(
        (forms) => parentPort!.postMessage({ id, forms }),
        (err: unknown) =>
          parentPort!.postMessage({ id, error: err instanceof Error ? err.message : 'failed' }),
      );
  },
);
