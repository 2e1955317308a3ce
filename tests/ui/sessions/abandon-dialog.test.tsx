// @vitest-environment jsdom
/**
 * The statement that ends an interrupted session (R3.5) is signed by two officers in person:
 * the dialog, against a real core, asks the officer who is not signed in for their own
 * username and password, writes nothing without them, and ends the session with them.
 */
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectInMemory } from '../../../electron/core/transports/memory';
import type { Client } from '@shared/client';
import type { SessionDto } from '@shared/domain';
import { ClientProvider } from '../../../renderer/src/app/ClientContext';
import { AuthProvider, useAuth } from '../../../renderer/src/features/auth/AuthContext';
import { createI18n } from '../../../renderer/src/i18n';
import { AbandonDialog } from '../../../renderer/src/features/sessions/SessionDialogs';
import { PASSWORD, tempCore } from '../../helpers/core';
import { memoryMediaClient, openInput, recordingSession } from '../../helpers/media';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
// jsdom has <dialog> but not its modal methods.
HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
  this.open = true;
};
HTMLDialogElement.prototype.close ??= function (this: HTMLDialogElement) {
  this.open = false;
};

let env: ReturnType<typeof tempCore>;
let client: Client;
let container: HTMLDivElement;
let root: Root;

beforeEach(() => {
  env = tempCore();
  client = connectInMemory(env.core);
  container = document.createElement('div');
  document.body.append(container);
  root = createRoot(container);
});

afterEach(() => {
  act(() => root.unmount());
  container.remove();
  env.dispose();
});

/** A recording session whose connection went away: interrupted. */
async function interrupted(): Promise<{ session: SessionDto; names: string[] }> {
  const { session, officers } = await recordingSession(client);
  const writer = memoryMediaClient(env.core);
  await writer.client.invoke('auth.signIn', { username: 'admin', password: 'correct horse 1' });
  await writer.client.invoke('recording.openSegment', openInput(session.id, 'cam1', 'camera'));
  writer.close();
  for (let i = 0; i < 100; i++) {
    const s = await client.invoke('sessions.get', { id: session.id });
    if (s.status === 'interrupted')
      return { session: s, names: [officers[0].name, officers[1].name] };
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('the session was not interrupted');
}

function SignedIn({ children }: { children: React.ReactNode }) {
  const { state } = useAuth();
  return state.status === 'signedIn' ? children : null;
}

function type(el: Element, value: string): void {
  const input = el as HTMLInputElement | HTMLTextAreaElement;
  const setter = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(input), 'value')!.set!;
  act(() => {
    setter.call(input, value);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

function labelled(scope: Element, text: string): HTMLElement {
  const label = [...scope.querySelectorAll('label')].find((l) => l.textContent?.startsWith(text));
  if (!label) throw new Error(`no field ${text}`);
  return document.getElementById(label.htmlFor)!;
}

async function settle(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) {
    await act(() => new Promise((r) => setTimeout(r, 10)));
  }
  expect(check()).toBe(true);
}

describe('AbandonDialog', () => {
  it('asks the officer who is not signed in for their own password, and ends the session only with it', async () => {
    const { session, names } = await interrupted();
    // 张伟 is signed in at this desk; 李娜 signs the statement with him.
    await client.invoke('auth.signOut', {});
    await client.invoke('auth.signIn', { username: 'zhangwei', password: PASSWORD });
    let ended: SessionDto | null = null;
    act(() =>
      root.render(
        <I18nextProvider i18n={createI18n('zh-CN')}>
          <ClientProvider client={client}>
            <AuthProvider>
              <SignedIn>
                <AbandonDialog
                  session={session}
                  onClose={() => undefined}
                  onAbandoned={(s) => (ended = s)}
                />
              </SignedIn>
            </AuthProvider>
          </ClientProvider>
        </I18nextProvider>,
      ),
    );
    await settle(() => container.querySelector('form') !== null);
    const legends = [...container.querySelectorAll('legend')].map((l) => l.textContent);
    expect(legends).toContain(`${names[1]} 本人确认`);
    expect(legends).not.toContain(`${names[0]} 本人确认`);

    type(labelled(container, '书面说明'), '录像设备故障，无法恢复录制。以上情况属实。');
    const submit = () => act(() => container.querySelector('form')!.requestSubmit());
    // Without her password: refused in the form, nothing sent.
    submit();
    await settle(() => container.textContent!.includes('其他签名的执法人员须本人输入账号和密码'));
    expect((await client.invoke('sessions.get', { id: session.id })).status).toBe('interrupted');

    // A wrong password: the core refuses, the session stays interrupted.
    const confirm = container.querySelector('[data-testid^="abandon-confirm-"]')!;
    type(labelled(confirm, '账号'), 'lina');
    type(labelled(confirm, '密码'), 'wrong password');
    submit();
    await settle(() => container.textContent!.includes('用户名或密码错误'));
    // The refused password is not kept on screen; the name is.
    expect((labelled(confirm, '密码') as HTMLInputElement).value).toBe('');
    expect((labelled(confirm, '账号') as HTMLInputElement).value).toBe('lina');
    expect((await client.invoke('sessions.get', { id: session.id })).status).toBe('interrupted');

    type(labelled(confirm, '密码'), PASSWORD);
    submit();
    await settle(() => ended !== null);
    expect(ended!.status).toBe('ended');
    const last = (await client.invoke('recording.timeline', { sessionId: session.id })).at(-1)!;
    expect(last).toMatchObject({
      kind: 'session.abandoned',
      data: {
        officers: [
          { name: names[0], confirmedBy: { presence: 'signed_in' } },
          { name: names[1], confirmedBy: { presence: 'password' } },
        ],
      },
    });
  });
});
