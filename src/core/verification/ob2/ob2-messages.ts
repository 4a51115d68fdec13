/**
 * Every i18n key the OB 2.0 verifier puts in a report (`VerificationStep.message`), with the
 * params each one carries. The web layer writes the French and English sentences for them;
 * a test can check that locales/fr.json has every value of this object.
 */
export const Ob2Message = {
  // format — what the input is
  formatHosted: 'verify.steps.format.ob2_hosted', // {container: json|url|png|svg}
  formatSigned: 'verify.steps.format.ob2_signed', // {container: jws|url|png|svg}
  formatDocument: 'verify.steps.format.ob2_document', // {objectType}
  formatNotAssertion: 'verify.steps.format.not_assertion', // {objectType}
  formatNotOb2: 'verify.steps.format.not_ob2',
  formatUnreadable: 'verify.steps.format.unreadable',
  formatUnavailable: 'verify.steps.format.unavailable', // {url}
  formatNotBaked: 'verify.steps.format.not_baked',
  formatDuplicateChunk: 'verify.steps.format.duplicate_chunk',
  formatCompressedChunk: 'verify.steps.format.compressed_chunk',
  formatInvalidImage: 'verify.steps.format.invalid_image',
  formatSignedWithoutSignature: 'verify.steps.format.signed_without_signature',
  formatUnexpected: 'verify.steps.format.unexpected',

  // schema — the OB 2.0 documents are well formed
  schemaValid: 'verify.steps.schema.valid', // {documents: number}
  schemaContextInvalid: 'verify.steps.schema.context_invalid', // {document}
  schemaContextMissing: 'verify.steps.schema.context_missing', // {document}
  schemaTypeInvalid: 'verify.steps.schema.type_invalid', // {document}
  schemaPropertyMissing: 'verify.steps.schema.property_missing', // {document, property}
  schemaPropertyInvalid: 'verify.steps.schema.property_invalid', // {document, property}
  schemaDataUriNotAllowed: 'verify.steps.schema.data_uri_not_allowed', // {document, property}
  schemaIdMismatch: 'verify.steps.schema.id_mismatch', // {document, url, id}
  schemaDocumentUnavailable: 'verify.steps.schema.document_unavailable', // {document, url}

  // signature — hosted: the issuer's server vouches; signed: RS256 JWS by a key of the issuer
  signatureHostedValid: 'verify.steps.signature.hosted_valid', // {url}
  signatureHostedUnavailable: 'verify.steps.signature.hosted_unavailable', // {url}
  signatureHostedIdMismatch: 'verify.steps.signature.hosted_id_mismatch', // {url, id}
  signatureHostedNotUrl: 'verify.steps.signature.hosted_not_url', // {id}
  signatureHostedOutOfScope: 'verify.steps.signature.hosted_out_of_scope', // {url, issuer}
  signatureHostedNoPolicy: 'verify.steps.signature.hosted_no_policy', // {issuer}
  signatureValid: 'verify.steps.signature.valid', // {key}
  signatureInvalid: 'verify.steps.signature.invalid', // {key}
  signatureUnsupportedAlgorithm: 'verify.steps.signature.unsupported_algorithm', // {alg}
  signatureNotSignedBadge: 'verify.steps.signature.not_signed_badge',
  signatureKeyUnavailable: 'verify.steps.signature.key_unavailable', // {key}
  signatureKeyInvalid: 'verify.steps.signature.key_invalid', // {key}
  signatureKeyOwnerMismatch: 'verify.steps.signature.key_owner_mismatch', // {key, owner, issuer}
  signatureKeyNotListed: 'verify.steps.signature.key_not_listed', // {key, issuer}

  // issuer
  issuerIdentified: 'verify.steps.issuer.identified', // {name, id}
  issuerUnavailable: 'verify.steps.issuer.unavailable', // {url}
  issuerNotHttp: 'verify.steps.issuer.not_http', // {id}
  issuerEmbeddedUnconfirmed: 'verify.steps.issuer.embedded_unconfirmed', // {id}
  issuerKnown: 'verify.steps.issuer.known', // {name}
  issuerKeyCompromised: 'verify.steps.issuer.key_compromised', // {name}
  issuerUnknown: 'verify.steps.issuer.unknown', // {name, id}

  // status — revocation
  statusNotRevoked: 'verify.steps.status.not_revoked',
  statusNoList: 'verify.steps.status.no_list',
  statusRevoked: 'verify.steps.status.revoked', // {reason?}
  statusUnavailable: 'verify.steps.status.unavailable', // {url}

  // validity — dates
  validityValid: 'verify.steps.validity.valid', // {issuedOn, expires?}
  validityExpired: 'verify.steps.validity.expired', // {date}
  validityNotYetIssued: 'verify.steps.validity.not_yet_issued', // {date}
  validityExpiresBeforeIssued: 'verify.steps.validity.expires_before_issued', // {issuedOn, expires}
  validityInvalidDate: 'verify.steps.validity.invalid_date', // {property}

  // recipient — optional email check
  recipientMatch: 'verify.steps.recipient.match',
  recipientMismatch: 'verify.steps.recipient.mismatch',
  recipientNotChecked: 'verify.steps.recipient.not_checked',
  recipientUnsupportedType: 'verify.steps.recipient.unsupported_type', // {type}

  // endorsements
  endorsementsValid: 'verify.steps.endorsements.valid', // {count}
  endorsementsUnavailable: 'verify.steps.endorsements.unavailable', // {url}
  endorsementsInvalid: 'verify.steps.endorsements.invalid', // {url}
  endorsementsClaimMismatch: 'verify.steps.endorsements.claim_mismatch', // {url, claim}
} as const;

export type Ob2MessageKey = (typeof Ob2Message)[keyof typeof Ob2Message];
