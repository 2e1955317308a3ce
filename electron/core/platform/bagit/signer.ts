/**
 * The port through which a bag is sealed. Sealing depends only on this interface; the
 * workstation's implementation lives in electron/core/pki (it holds the key the transcript
 * PDF is signed with, so bag and PDF name the same certificate), and the tests implement it
 * with the openssl command line, producing real signatures.
 */
export interface Signer {
  /** The signing certificate, DER. */
  certificateDer: Buffer;
  /** Intermediate certificates up to (not including) the agency's root, DER. */
  chainDer: Buffer[];
  /**
   * A detached CMS SignedData over `data`, DER, with the signer's certificate (and chain)
   * included and signed attributes (content type, message digest, signing time).
   */
  signDetached(data: Buffer, opts?: { signingTime?: Date }): Promise<Buffer>;
}
