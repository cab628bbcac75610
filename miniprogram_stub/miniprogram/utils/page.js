// What every page shares: one loading state, one error display, one way to run an action.
//
//   Component({
//     data: { ...kit.DATA, ... },              // busy, busyText, notice
//     methods: {
//       ...kit.METHODS,                         // noticeAction: a notice button calls the page method it names
//       ...kit.RELOAD,                          // pages with a load(): pull-down refresh and 重试
//       submit() { return kit.run(this, () => api.post(...), { busyText: '正在提交…', actions: ['retry'] }) }
//     }
//   })
//
// In the WXML: <net-status /> at the top, <notice notice="{{notice}}" bind:action="noticeAction" />
// where the outcome shows, and every button that sends something disabled="{{busy}}".
// `busy` is also checked in kit.run, so a second tap while a request is in flight does nothing.

// The next steps a notice can offer: the key is the page method the button calls.
const ACTIONS = {
  toBind: '去绑定',
  rescan: '重新扫码',
  typeCode: '输入签到码',
  retry: '重试',
  confirmAgain: '再次确认签到结果',
  showForm: '手工填写姓名和手机号',
  toSchedule: '查看课程安排',
  toStaffLogin: '重新登录',
  remind: '接收开课和测评提醒',
  remindSurvey: '接收测评截止提醒'
}

const DATA = { busy: false, busyText: '', notice: null }

// A notice for the page: { kind: 'error' | 'ok' | 'info', title, message, actions: [{ key, label }] }.
function notice(title, message, actions = [], kind = 'error') {
  return { kind, title, message, actions: actions.map((key) => ({ key, label: ACTIONS[key] })) }
}

// The notice of a failed request: the server's message, and what to do next.
function errorNotice(error, actions = [], title = '操作未成功') {
  const next = error && error.network && actions.indexOf('retry') < 0 ? actions.concat('retry') : actions
  return notice(title, (error && error.message) || '', next)
}

// The server's words for each field it named (a 422's `fields`), to show under that field.
function fieldErrors(error) {
  const errors = {}
  Object.keys((error && error.fields) || {}).forEach((field) => {
    errors[field] = [].concat(error.fields[field]).join('，')
  })
  return errors
}

// Run `task` as the page's one action in flight: nothing while another runs; busy meanwhile;
// a failure stays on the page as a notice. `onError(error)` may return a notice of its own,
// null when the page shows the outcome otherwise, or undefined for the usual notice.
async function run(page, task, { busyText = '请稍候…', actions = [], title = '操作未成功', onError = null } = {}) {
  if (page.data.busy) return null
  page.setData({ busy: true, busyText, notice: null })
  try {
    return await task()
  } catch (error) {
    const own = onError ? await onError(error) : undefined
    page.setData({ notice: own === undefined ? errorNotice(error, actions, title) : own })
    return null
  } finally {
    page.setData({ busy: false, busyText: '' })
  }
}

const METHODS = {
  /** A notice's button: call the page method it names. @this {any} */
  noticeAction(event) {
    const name = event.detail.action
    if (ACTIONS[name] && typeof this[name] === 'function') return this[name]()
    return null
  }
}

// For pages whose content comes from `load()`: pull down to refresh, and the notice's 重试.
const RELOAD = {
  /** @this {any} */
  async onPullDownRefresh() {
    await this.load()
    wx.stopPullDownRefresh()
  },
  /** @this {any} */
  retry() {
    return this.load()
  }
}

module.exports = { ACTIONS, DATA, METHODS, RELOAD, notice, errorNotice, fieldErrors, run }
