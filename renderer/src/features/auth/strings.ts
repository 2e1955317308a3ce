/**
 * First run, sign-in, and an officer confirming in person with their own account.
 */
import { defineStrings, type Translation } from '../../i18n/define';

const zhCN = {
  setup: {
    title: '创建管理员账户',
    intro: '本工作站尚无用户。请先创建系统管理员账户，之后由管理员登记执法人员和其他用户。',
    username: '用户名',
    usernameHint: '2–32 位字母、数字、点、短横线或下划线',
    displayName: '姓名',
    password: '密码',
    passwordHint: '至少 10 个字符',
    passwordConfirm: '确认密码',
    submit: '创建管理员账户',
    done: '管理员账户已创建，请登录。',
  },
  signIn: {
    title: '登录',
    username: '用户名',
    password: '密码',
    submit: '登录',
  },
  officerConfirm: {
    legend: '{{name}} 本人确认',
    hint: '请 {{name}} 本人输入自己的账号和密码（不保存）。只有执法人员本人才能以自己的名义签名。',
    username: '账号',
    password: '密码',
  },
};

const en: Translation<typeof zhCN> = {
  setup: {
    title: 'Create the administrator account',
    intro:
      'This workstation has no users yet. Create the system administrator first; the administrator then registers officers and other users.',
    username: 'Username',
    usernameHint: '2–32 letters, digits, dots, dashes or underscores',
    displayName: 'Full name',
    password: 'Password',
    passwordHint: 'At least 10 characters',
    passwordConfirm: 'Confirm password',
    submit: 'Create administrator account',
    done: 'The administrator account was created. Please sign in.',
  },
  signIn: {
    title: 'Sign in',
    username: 'Username',
    password: 'Password',
    submit: 'Sign in',
  },
  officerConfirm: {
    legend: 'Confirmed by {{name}} in person',
    hint: '{{name}} types their own username and password (not kept). Only an officer signs in their own name.',
    username: 'Username',
    password: 'Password',
  },
};

export default defineStrings(zhCN, en);
