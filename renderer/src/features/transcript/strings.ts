/**
 * The transcript pane and the procedure checklist.
 */
import { defineStrings, type Translation } from '../../i18n/define';

const zhCN = {
  transcript: {
    title: '笔录',
    saveState: '保存状态',
    save: {
      loading: '正在加载…',
      saved: '已保存',
      saving: '保存中…',
      retrying: '保存失败，重试中',
    },
    lost: '笔录已在其他窗口修改，以下 {{count}} 处修改无法合并，请核对后重新录入：',
    lostDismiss: '知道了',
    readOnly: '您的角色不能修改笔录。',
    signedReadOnly:
      '笔录已经当事人和执法人员签名，不能再修改。如需更正或补充，应另行制作补充笔录并签名。',
    empty: '尚无笔录内容。',
    addTurn: '新增一段',
    addFirst: '新增第一段（{{speaker}}）',
    list: '笔录内容',
    turn: '第 {{n}} 段（{{speaker}}）',
    speaker: '说话人：{{speaker}}（Alt+S 切换）',
    seekTo: '定位到 {{time}}',
    undo: '撤销',
    redo: '重做',
    shortcuts: {
      title: '快捷键',
      newTurn: '在段末：开始下一段',
      lineBreak: '段内换行',
      speaker: '切换说话人（Alt+Shift+S 反向）',
      steps: '依次标记程序节点',
      interruption: '标记记录中断（须填写原因）',
      resumed: '标记恢复记录（须填写说明）',
      undo: '撤销',
      redo: '重做',
      move: '在首行 / 末行：移到上一段 / 下一段',
      removeEmpty: '在空白段中：删除该段',
    },
  },
  procedure: {
    title: '程序节点',
    hint: '按顺序标记，未标记的程序显示为未完成。',
    done: '已完成',
    missing: '未完成',
    next: '下一步',
    mark: '标记',
    markNamed: '标记：{{step}}',
    events: '中断与恢复',
    allDone: '程序节点均已标记',
    missingCount: '{{count}} 项未完成',
    note: {
      interruption: '中断原因',
      resumed: '恢复时说明的中断原因',
    },
    noteHint: '记录中断的，恢复记录时应当语音说明中断原因。',
    noteAt: '时间点：{{time}}',
  },
};

const en: Translation<typeof zhCN> = {
  transcript: {
    title: 'Transcript',
    saveState: 'Save state',
    save: {
      loading: 'Loading…',
      saved: 'Saved',
      saving: 'Saving…',
      retrying: 'Saving failed, retrying',
    },
    lost: 'The transcript was changed in another window; these {{count}} edits could not be merged. Please check and enter them again:',
    lostDismiss: 'Got it',
    readOnly: 'Your role cannot edit the transcript.',
    signedReadOnly:
      'The record has been signed by the party and the officers and can no longer change. A correction or addition is a separate supplementary record, signed in its turn.',
    empty: 'The transcript is empty.',
    addTurn: 'New turn',
    addFirst: 'First turn ({{speaker}})',
    list: 'Transcript content',
    turn: 'Turn {{n}} ({{speaker}})',
    speaker: 'Speaker: {{speaker}} (Alt+S to change)',
    seekTo: 'Seek to {{time}}',
    undo: 'Undo',
    redo: 'Redo',
    shortcuts: {
      title: 'Keyboard shortcuts',
      newTurn: 'At the end of a turn: start the next turn',
      lineBreak: 'Line break inside a turn',
      speaker: 'Change speaker (Alt+Shift+S backwards)',
      steps: 'Mark the procedure steps in order',
      interruption: 'Mark an interruption (reason required)',
      resumed: 'Mark the recording resumed (statement required)',
      undo: 'Undo',
      redo: 'Redo',
      move: 'On the first / last line: previous / next turn',
      removeEmpty: 'In an empty turn: remove it',
    },
  },
  procedure: {
    title: 'Procedure',
    hint: 'Mark the steps in order; unmarked steps show as not done.',
    done: 'Done',
    missing: 'Not done',
    next: 'Next',
    mark: 'Mark',
    markNamed: 'Mark: {{step}}',
    events: 'Interruptions',
    allDone: 'All steps marked',
    missingCount: '{{count}} not done',
    note: {
      interruption: 'Reason for the interruption',
      resumed: 'Reason stated when resuming',
    },
    noteHint: 'After an interruption, the reason is stated aloud when recording resumes.',
    noteAt: 'At {{time}}',
  },
};

export default defineStrings(zhCN, en);
