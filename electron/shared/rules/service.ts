/**
 * Service of documents (送达, R1.5): the five methods, what each needs at the time of service,
 * and when it is proven. One rule for the core (which refuses a record without what its
 * method needs, and an archive while a proof is missing) and the screen (which shows it).
 */

export const SERVICE_METHODS = [
  'direct', // 直接送达: the recipient signs the receipt
  'entrusted', // 委托送达: another agency serves; its returned 送达回证 is the proof
  'postal', // 邮寄送达: tracking number, then the delivery receipt
  'left', // 留置送达: a witness signs, and the act is recorded on A/V (R3.2)
  'public_notice', // 公告送达: the notice, served when its period has run
] as const;
export type ServiceMethod = (typeof SERVICE_METHODS)[number];

/** How many days a public notice stands before the document counts as served (民事诉讼法 第九十五条). */
export const PUBLIC_NOTICE_DAYS = 30;

const DAY_MS = 24 * 60 * 60 * 1000;

/** What a service record holds that its proof depends on. */
export interface ServiceFacts {
  method: ServiceMethod;
  servedAt: number;
  /** A receipt attached later: the returned 送达回证 or the postal delivery receipt. */
  receiptReceivedAt: number | null;
  /** For a public notice: the days it stands. */
  noticeDays?: number;
}

export type ServiceProof =
  | { proven: true; servedAt: number }
  | { proven: false; missing: 'receipt' | 'notice_period'; until?: number };

/**
 * Whether the service is proven and when the document counts as served: at once for direct
 * and left service (the signatures are taken there), on the receipt for entrusted and postal
 * service, and when the period has run for a public notice.
 */
export function serviceProof(s: ServiceFacts, now: number): ServiceProof {
  switch (s.method) {
    case 'direct':
    case 'left':
      return { proven: true, servedAt: s.servedAt };
    case 'entrusted':
    case 'postal':
      return s.receiptReceivedAt === null
        ? { proven: false, missing: 'receipt' }
        : { proven: true, servedAt: s.receiptReceivedAt };
    case 'public_notice': {
      const until = s.servedAt + (s.noticeDays ?? PUBLIC_NOTICE_DAYS) * DAY_MS;
      return now >= until
        ? { proven: true, servedAt: until }
        : { proven: false, missing: 'notice_period', until };
    }
  }
}

/** Whether a method's proof comes later as a receipt (the one a clerk attaches). */
export function takesReceipt(method: ServiceMethod): boolean {
  return method === 'entrusted' || method === 'postal';
}
