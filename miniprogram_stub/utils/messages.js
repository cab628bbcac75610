// Chinese messages for the error codes of docs/API.md, and labels of the fields the server names
// in a validation_failed answer. The server sends its own Chinese message too; ours wins so
// the wording stays the same across the app, and the server's is the fallback for new codes.

const ERROR_MESSAGES = {
  network: '网络连接失败，请检查网络后重试',
  unauthorized: '登录已过期，请重新进入小程序',
  staff_unauthorized: '登录已过期，请重新登录',
  forbidden: '没有权限执行此操作',
  not_found: '找不到请求的内容',
  method_not_allowed: '不支持此操作',
  bad_request: '请求格式有误',
  conflict: '数据已变化，请刷新后重试',
  validation_failed: '填写的内容有误，请检查',
  invalid_transition: '当前状态下不能执行此操作',
  reason_required: '研修班已批准，修改须填写情况说明',
  username_taken: '用户名已被使用',
  invalid_credentials: '用户名或密码错误',
  wechat_login_failed: '微信登录失败，请重新打开小程序',
  not_on_roster: '名单中没有找到您，请核对班级编号、姓名和手机号，或联系承办单位',
  already_bound: '该学员信息已被其他微信账号绑定，请联系承办单位',
  invalid_token: '二维码无效，请扫描现场大屏上的签到码',
  token_expired: '二维码已过期，请重新扫描',
  invalid_code: '签到码不正确，请核对大屏上的6位数字',
  code_expired: '签到码已过期，请输入大屏上最新的签到码',
  wrong_mode: '您的参训方式与此签到码不符：线上学员请使用线上会议中的签到码，现场学员请扫描现场大屏',
  not_enrolled: '您不在本班学员名单中，或尚未绑定学员信息',
  class_not_approved: '本班开班方案尚未批准，暂不能签到或评价',
  checkin_closed: '当前不在签到时间内（课程开始前30分钟至下课）',
  already_submitted: '您已提交过本班的满意度评价',
  survey_closed: '满意度评价未开放或已结束',
  not_attended: '您还没有签到过本班的课程，暂不能评价',
  rate_limited: '操作过于频繁，请稍后再试',
  payload_too_large: '提交的内容过大',
  internal_error: '服务器出错了，请稍后再试',
  unavailable: '服务暂时不可用，请稍后再试'
}

// Codes whose server message carries details of this case (the class's own check-in window,
// how many minutes to wait): the server's words are shown when it sent some.
const SERVER_DETAIL = ['checkin_closed', 'rate_limited', 'wrong_mode']

const FIELD_LABELS = {
  class_id: '班级编号',
  name: '姓名',
  phone: '手机号',
  token: '二维码',
  code: '签到码',
  session_id: '课程',
  username: '用户名',
  password: '密码',
  lectures: '师资评价',
  faculty_overall: '师资综合评价',
  teaching: '教学评价',
  'teaching.content': '教学内容',
  'teaching.level': '教学水平',
  'teaching.mode': '教学模式',
  'teaching.overall': '教学综合评价',
  service: '服务管理评价',
  'service.organization': '组织管理',
  'service.logistics': '后勤保障',
  'service.service': '服务水平',
  'service.overall': '服务管理综合评价',
  satisfaction: '学员满意度',
  suggestions: '意见与建议'
}

function fieldLabel(name) {
  if (FIELD_LABELS[name]) return FIELD_LABELS[name]
  if (name.indexOf('lectures.') === 0) return FIELD_LABELS.lectures
  if (name === '_schema') return ''
  return name
}

// "手机号：应为11位大陆手机号；姓名：不能为空" from {"phone": [...], "name": [...]}.
function describeFields(fields) {
  return Object.keys(fields || {})
    .map((name) => {
      const label = fieldLabel(name)
      const text = [].concat(fields[name]).join('，')
      return label ? `${label}：${text}` : text
    })
    .join('；')
}

// The message a person reads for an error of utils/api.js.
function messageFor(error) {
  if (!error) return ERROR_MESSAGES.internal_error
  if (error.code === 'validation_failed' && error.fields) {
    const detail = describeFields(error.fields)
    if (detail) return detail
  }
  if (SERVER_DETAIL.indexOf(error.code) >= 0 && error.serverMessage) return error.serverMessage
  return ERROR_MESSAGES[error.code] || error.serverMessage || `操作失败，请稍后再试（${error.code || error.status}）`
}

module.exports = { ERROR_MESSAGES, FIELD_LABELS, describeFields, messageFor, fieldLabel }
