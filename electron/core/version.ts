/** The Attest version, injected from package.json at build time where available. */
export const VERSION: string = process.env.ATTEST_VERSION ?? '0.1.0';
