/**
 * The core: plain Node, never imports `electron`. It owns the case store and every domain
 * service, and speaks the contract of electron/shared over any transport: a transport
 * calls {@link Core.connect} once per client and feeds it JSON text frames.
 */
export { openCore } from './core';
export type { Core, CoreConnection, CoreOptions } from './core';
