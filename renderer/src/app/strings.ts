/**
 * The app's frame: its name, the connection, the shell (header, navigation, sign-out).
 */
import { defineStrings, type Translation } from '../i18n/define';

const zhCN = {
  app: {
    name: 'Attest 执法全过程记录',
    connecting: '正在连接核心服务…',
    noBridge: '无法连接核心服务。请从 Attest 应用或本机 Web 服务打开本页面。',
    connectionLost: '与核心服务的连接已断开，请重新加载页面。',
    reload: '重新加载',
  },
  shell: {
    mainNav: '主导航',
    nav: {
      cases: '案件列表',
      officers: '执法人员',
      devices: '设备登记',
      users: '用户管理',
    },
    user: '当前用户',
    signOut: '退出登录',
    skipToMain: '跳到主要内容',
  },
};

const en: Translation<typeof zhCN> = {
  app: {
    name: 'Attest enforcement recording',
    connecting: 'Connecting to the core service…',
    noBridge:
      'Cannot reach the core service. Open this page from the Attest app or the local web host.',
    connectionLost: 'The connection to the core service was lost. Please reload the page.',
    reload: 'Reload',
  },
  shell: {
    mainNav: 'Main navigation',
    nav: {
      cases: 'Cases',
      officers: 'Officers',
      devices: 'Devices',
      users: 'Users',
    },
    user: 'Signed in as',
    signOut: 'Sign out',
    skipToMain: 'Skip to main content',
  },
};

export default defineStrings(zhCN, en);
