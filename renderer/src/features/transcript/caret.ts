/**
 * Whether the caret of a textarea sits on its first or last visual line, so ↑/↓ can leave
 * the turn there and move through the lines of a wrapped turn elsewhere. A textarea does not
 * say where its lines wrap; a hidden mirror with the same box and font does. Only runs on
 * arrow keys, never per keystroke.
 */
let mirror: HTMLDivElement | null = null;

const COPIED = [
  'boxSizing',
  'width',
  'paddingTop',
  'paddingRight',
  'paddingBottom',
  'paddingLeft',
  'borderTopWidth',
  'borderRightWidth',
  'borderBottomWidth',
  'borderLeftWidth',
  'fontFamily',
  'fontSize',
  'fontWeight',
  'fontStyle',
  'letterSpacing',
  'lineHeight',
  'tabSize',
  'textIndent',
  'wordSpacing',
  'overflowWrap',
  'wordBreak',
] as const;

function measure(el: HTMLTextAreaElement): { caretTop: number; height: number; line: number } {
  if (!mirror) {
    mirror = document.createElement('div');
    mirror.setAttribute('aria-hidden', 'true');
    mirror.className = 'caret-mirror';
    document.body.appendChild(mirror);
  }
  const style = getComputedStyle(el);
  for (const p of COPIED) mirror.style[p] = style[p];
  mirror.style.width = `${el.getBoundingClientRect().width}px`;
  const pos = el.selectionStart;
  mirror.textContent = el.value.slice(0, pos);
  const marker = document.createElement('span');
  marker.textContent = '\u200b';
  mirror.appendChild(marker);
  mirror.appendChild(document.createTextNode(el.value.slice(pos) || '\u200b'));
  const line = Number.parseFloat(style.lineHeight) || Number.parseFloat(style.fontSize) * 1.5;
  const padTop = Number.parseFloat(style.paddingTop) + Number.parseFloat(style.borderTopWidth);
  const padBottom =
    Number.parseFloat(style.paddingBottom) + Number.parseFloat(style.borderBottomWidth);
  return {
    caretTop: marker.offsetTop - padTop,
    height: mirror.scrollHeight - padTop - padBottom,
    line,
  };
}

function collapsed(el: HTMLTextAreaElement): boolean {
  return el.selectionStart === el.selectionEnd;
}

export function caretOnFirstLine(el: HTMLTextAreaElement): boolean {
  if (!collapsed(el)) return false;
  if (el.value.slice(0, el.selectionStart).includes('\n')) return false;
  const { caretTop, line } = measure(el);
  return caretTop < line / 2;
}

export function caretOnLastLine(el: HTMLTextAreaElement): boolean {
  if (!collapsed(el)) return false;
  if (el.value.slice(el.selectionEnd).includes('\n')) return false;
  const { caretTop, height, line } = measure(el);
  return caretTop + line * 1.5 > height;
}

export function caretAtEnd(el: HTMLTextAreaElement): boolean {
  return collapsed(el) && el.selectionEnd === el.value.length;
}
