/**
 * Minimal typings for the untyped Data Integrity libraries, limited to what the core uses.
 * They stay loose (unknown documents) on purpose: the core validates shapes itself.
 */
declare module 'jsonld-signatures' {
  export type DocumentLoader = (url: string) => Promise<{
    contextUrl: string | null;
    documentUrl: string;
    document: unknown;
  }>;
  export interface ProofPurpose {
    readonly term?: string;
  }
  export interface VerifyResult {
    verified: boolean;
    error?: { errors?: Error[]; message?: string; name?: string };
    results?: { verified: boolean; error?: Error; proof?: Record<string, unknown> }[];
  }
  const jsigs: {
    sign(
      document: object,
      options: { suite: unknown; purpose: ProofPurpose; documentLoader: DocumentLoader },
    ): Promise<Record<string, unknown>>;
    verify(
      document: object,
      options: { suite: unknown; purpose: ProofPurpose; documentLoader: DocumentLoader },
    ): Promise<VerifyResult>;
    purposes: {
      AssertionProofPurpose: new (options?: {
        controller?: object;
        date?: Date;
        maxTimestampDelta?: number;
      }) => ProofPurpose;
      AuthenticationProofPurpose: new (options: {
        challenge: string;
        domain?: string;
        controller?: object;
      }) => ProofPurpose;
    };
  };
  export default jsigs;
}

declare module '@digitalbazaar/data-integrity' {
  export class DataIntegrityProof {
    constructor(options: {
      signer?: unknown;
      date?: string | Date | null;
      cryptosuite: unknown;
      legacyContext?: boolean;
    });
  }
}

declare module '@digitalbazaar/eddsa-rdfc-2022-cryptosuite' {
  export const cryptosuite: {
    name: string;
    /** JSON-LD → RDF → RDFC-1.0 canonical N-Quads. */
    canonize(input: unknown, options: Record<string, unknown>): Promise<string>;
  };
}

declare module '@digitalbazaar/ecdsa-sd-2023-cryptosuite' {
  export function createVerifyCryptosuite(): { name: string };
}

declare module '@digitalbazaar/ed25519-multikey' {
  export interface Ed25519KeyPair {
    id?: string;
    controller?: string;
    publicKeyMultibase: string;
    secretKeyMultibase?: string;
    publicKey: Uint8Array;
    secretKey?: Uint8Array;
    signer(): {
      id?: string;
      algorithm: string;
      sign(options: { data: Uint8Array }): Promise<Uint8Array>;
    };
    export(options?: {
      publicKey?: boolean;
      secretKey?: boolean;
      includeContext?: boolean;
    }): Promise<Record<string, unknown>>;
  }
  export function generate(options?: {
    id?: string;
    controller?: string;
    seed?: Uint8Array;
  }): Promise<Ed25519KeyPair>;
  export function from(key: object): Promise<Ed25519KeyPair>;
  export function fromJwk(options: {
    jwk: Record<string, string>;
    secretKey?: boolean;
    id?: string;
    controller?: string;
  }): Promise<Ed25519KeyPair>;
}

declare module '@digitalcredentials/ed25519-signature-2020' {
  /** The Linked Data suite the Learner Credential Wallet signs DIDAuth presentations with. */
  export class Ed25519Signature2020 {
    constructor(options?: { key?: unknown });
  }
}

declare module '@digitalbazaar/credentials-context' {
  export const contexts: Map<string, object>;
}
declare module '@digitalbazaar/data-integrity-context' {
  const pkg: { contexts: Map<string, object> };
  export default pkg;
}
declare module '@digitalbazaar/multikey-context' {
  const pkg: { contexts: Map<string, object> };
  export default pkg;
}

declare module 'rdf-canonize' {
  /** Canonical N-Quads (RDFC-1.0) of an RDF dataset, as jsonld.toRDF returns it. */
  export function canonize(dataset: unknown[], options: Record<string, unknown>): Promise<string>;
}
