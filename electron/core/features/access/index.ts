/**
 * Who may see and copy the evidence (ARCHITECTURE §9): the case team, grants, the check every
 * read goes through, classifications and party copies. Other features call
 * {@link AccessService.require} before they read evidence.
 */
export { AccessService, type AccessAsk } from './service';
export { BundleFiles } from './files';
export { PartyCopies } from './copies';
export * from './stats';
