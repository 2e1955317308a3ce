/** The audit trail's viewer, anchors and report live beside this; supervision reads its counts. */
export { VIEW_STAT_SQL } from './stats';
