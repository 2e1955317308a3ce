/**
 * A signature pad for a pen display or tablet: signature_pad 5 on pointer events at full
 * sampling (`throttle: 0`, `minDistance: 0`), keeping every point with its time and pressure
 * and the pointer type of each stroke. Large buttons; "rewrite" clears, "confirm" sends.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import SignaturePad from 'signature_pad';
import type { HandwritingInput } from '@shared/api/signing';
import { useSectionT } from '../../i18n/section';
import { toHandwritingInput, type PadStroke } from './strokes';

export interface SignaturePadFieldProps {
  /** Accessible name of the writing area, e.g. 第 2 页签名. */
  label: string;
  /** Width ÷ height of the area (the printed box's shape). */
  aspect: number;
  /** Largest height in CSS pixels. */
  maxHeight?: number;
  /** Vertical cut lines drawn over the area (the seam's strips), as fractions of its width. */
  guides?: number[];
  /** Text shown faintly in the empty area (what to write). */
  placeholder?: string;
  busy?: boolean;
  disabled?: boolean;
  submitLabel?: string;
  onSubmit: (handwriting: HandwritingInput) => void | Promise<void>;
  children?: ReactNode;
  testId?: string;
}

export function SignaturePadField({
  label,
  aspect,
  maxHeight = 320,
  guides,
  placeholder,
  busy = false,
  disabled = false,
  submitLabel,
  onSubmit,
  children,
  testId,
}: SignaturePadFieldProps) {
  const t = useSectionT('signing');
  const box = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const pad = useRef<SignaturePad | null>(null);
  const types = useRef<string[]>([]);
  const [size, setSize] = useState<{ width: number; height: number } | null>(null);
  const [points, setPoints] = useState(0);
  const [tooLong, setTooLong] = useState(false);

  // Size once from the space available: a resize mid-signature must not rescale the ink.
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const available = Math.max(200, el.clientWidth);
    const height = Math.min(maxHeight, Math.round(available / aspect));
    const width = Math.min(available, Math.round(height * aspect));
    setSize({ width, height });
  }, [aspect, maxHeight]);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || !size) return;
    const ratio = Math.max(1, window.devicePixelRatio || 1);
    canvas.width = Math.round(size.width * ratio);
    canvas.height = Math.round(size.height * ratio);
    canvas.getContext('2d')?.scale(ratio, ratio);
    const p = new SignaturePad(canvas, {
      // Every pointer event becomes a point: the strokes are evidence, never thinned.
      throttle: 0,
      minDistance: 0,
      penColor: '#12298a',
      minWidth: 0.8,
      maxWidth: 3.2,
    });
    const begin = (e: Event) => {
      const detail = (e as CustomEvent<{ event?: Event }>).detail;
      const source = detail?.event;
      types.current.push(
        source && 'pointerType' in source ? String((source as PointerEvent).pointerType) : 'mouse',
      );
    };
    const end = () => setPoints(p.toData().reduce((n, g) => n + g.points.length, 0));
    p.addEventListener('beginStroke', begin);
    p.addEventListener('endStroke', end);
    pad.current = p;
    return () => {
      p.removeEventListener('beginStroke', begin);
      p.removeEventListener('endStroke', end);
      p.off();
      pad.current = null;
    };
  }, [size]);

  useEffect(() => {
    if (disabled || busy) pad.current?.off();
    else pad.current?.on();
  }, [disabled, busy]);

  const clear = () => {
    pad.current?.clear();
    types.current = [];
    setPoints(0);
    setTooLong(false);
  };

  const submit = async () => {
    const p = pad.current;
    if (!p || !size) return;
    const strokes: PadStroke[] = p.toData().map((g, i) => ({
      points: g.points,
      pointerType: types.current[i] ?? 'mouse',
    }));
    const input = toHandwritingInput(strokes, size, Date.now());
    if (!input) {
      setTooLong(points > 2);
      return;
    }
    await onSubmit(input);
  };

  return (
    <div className="sigpad" data-testid={testId}>
      {children}
      <div className="sigpad__area" ref={box}>
        {size ? (
          <div className="sigpad__frame" style={{ width: size.width, height: size.height }}>
            {placeholder && points === 0 ? (
              <span className="sigpad__placeholder" aria-hidden="true">
                {placeholder}
              </span>
            ) : null}
            {guides?.map((g) => (
              <span
                key={g}
                className="sigpad__guide"
                aria-hidden="true"
                style={{ left: `${g * 100}%` }}
              />
            ))}
            <canvas
              ref={canvasRef}
              className="sigpad__canvas"
              role="img"
              aria-label={label}
              data-points={points}
              style={{ width: size.width, height: size.height }}
            />
          </div>
        ) : null}
      </div>
      {tooLong ? (
        <p className="sigpad__error" role="alert">
          {t('pad.tooLong')}
        </p>
      ) : null}
      <div className="sigpad__actions">
        <button
          type="button"
          className="button button--large"
          onClick={clear}
          disabled={busy || points === 0}
        >
          {t('pad.clear')}
        </button>
        <button
          type="button"
          className="button button--primary button--large"
          onClick={() => void submit()}
          disabled={busy || disabled || points < 2}
        >
          {busy ? t('pad.saving') : (submitLabel ?? t('pad.submit'))}
        </button>
      </div>
    </div>
  );
}
