/** A storage target as the settings screen sends it, for tests that need one with a secret. */

/** An SFTP target on a loopback port nothing listens on, with a password. */
export function sftpTargetInput(password: string) {
  return {
    kind: 'sftp' as const,
    name: '区局 SFTP',
    config: {
      host: '127.0.0.1',
      port: 1,
      username: 'attest',
      path: '/evidence',
      hostKeySha256: `SHA256:${'A'.repeat(43)}`,
      timeoutMs: 2000,
    },
    secret: { password },
  };
}
