/** The key class the Learner Credential Wallet signs with (test wallets only). */
declare module '@digitalcredentials/ed25519-verification-key-2020' {
  export class Ed25519VerificationKey2020 {
    static generate(options?: { seed?: Uint8Array }): Promise<Ed25519VerificationKey2020>;
    id: string;
    controller: string;
    publicKeyMultibase: string;
    fingerprint(): string;
    signer(): unknown;
  }
}
