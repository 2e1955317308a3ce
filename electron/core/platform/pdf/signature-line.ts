/**
 * A signature line of a form (审批表, 卷内目录): the label, the handwriting drawn as vector ink
 * in a box, and the date, as a person signs a paper form in person.
 */
import { INK as INK_RGB } from './layout-types';
import { inkOperators } from './ink';
import type { Handwriting } from './model';
import { MM, type Writer } from './writer';

/** Draws `label：[ink]  date` at the writer's place, moving it down by the box's height. */
export function signatureLine(
  w: Writer,
  label: string,
  handwriting: Handwriting | null,
  dateText: string,
): void {
  const height = 14 * MM;
  w.ensure(height + 4);
  const top = w.y;
  const base = top - height + 4 * MM;
  w.page.drawText(w.clean(`${label}：`), { x: w.margin, y: base, size: 10, font: w.font });
  const labelWidth = w.metrics.width(`${label}：`, 10);
  const box = { x: w.margin + labelWidth + 2, y: top - height, w: 45 * MM, h: height };
  if (handwriting)
    w.page.pushOperators(
      ...inkOperators(handwriting, box, { fit: 'contain', width: 1.1, color: INK_RGB }),
    );
  w.page.drawLine({
    start: { x: box.x, y: base - 2 },
    end: { x: box.x + box.w, y: base - 2 },
    thickness: 0.4,
  });
  w.page.drawText(w.clean(dateText), {
    x: box.x + box.w + 6 * MM,
    y: base,
    size: 10,
    font: w.font,
  });
  w.y = top - height - 2;
}
