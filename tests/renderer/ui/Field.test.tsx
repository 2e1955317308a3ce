// @vitest-environment jsdom
/** Form controls are tied to their labels and errors, and a refusal moves focus to the field. */
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TextField } from '../../../renderer/src/ui/Field';
import { Form } from '../../../renderer/src/ui/Form';
import { createI18n } from '../../../renderer/src/i18n';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let container: HTMLDivElement;
let root: Root;

beforeEach(() => {
  container = document.createElement('div');
  document.body.append(container);
  root = createRoot(container);
});

afterEach(() => {
  act(() => root.unmount());
  container.remove();
});

function render(failures: number) {
  const i18n = createI18n('zh-CN');
  act(() =>
    root.render(
      <I18nextProvider i18n={i18n}>
        <Form
          onSubmit={() => {}}
          submitLabel="提交"
          banner={failures ? { key: 'errors.code.INVALID_INPUT' } : null}
          busy={false}
          failures={failures}
        >
          <TextField label="姓名" value="赵磊" onChange={() => {}} required />
          <TextField
            label="执法证号"
            value="ZF 01#"
            onChange={() => {}}
            hint="4–32 位"
            error={failures ? { key: 'errors.field.codeChars' } : undefined}
            required
          />
        </Form>
      </I18nextProvider>,
    ),
  );
}

describe('TextField in a Form', () => {
  it('ties label, hint and error to the control', () => {
    render(1);
    const input = container.querySelectorAll('input')[1]!;
    const label = container.querySelector(`label[for="${input.id}"]`);
    expect(label?.textContent).toBe('执法证号');
    const described = input
      .getAttribute('aria-describedby')!
      .split(' ')
      .map((id) => document.getElementById(id)?.textContent);
    expect(described).toEqual(['只能使用字母、数字和短横线', '4–32 位']);
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(input.value).toBe('ZF 01#');
    expect(container.querySelector('[role="alert"]')?.textContent).toContain('填写的内容有误');
  });

  it('moves focus to the first invalid field after a refusal', () => {
    render(0);
    expect(document.activeElement).toBe(document.body);
    render(1);
    expect(document.activeElement).toBe(container.querySelectorAll('input')[1]);
  });

  it('says a broken rule once when the error is the hint itself', () => {
    const i18n = createI18n('zh-CN');
    act(() =>
      root.render(
        <I18nextProvider i18n={i18n}>
          <TextField
            label="密码"
            type="password"
            value="short"
            onChange={() => {}}
            hint="至少 10 个字符"
            error={{ key: 'errors.field.tooShort', values: { min: 10 } }}
          />
        </I18nextProvider>,
      ),
    );
    expect(container.textContent?.split('至少 10 个字符')).toHaveLength(2);
    const input = container.querySelector('input')!;
    expect(document.getElementById(input.getAttribute('aria-describedby')!)?.textContent).toBe(
      '至少 10 个字符',
    );
  });
});
