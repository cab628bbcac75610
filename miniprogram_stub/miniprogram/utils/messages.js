// The only messages the mini-program writes itself: failures where no answer of the server
// arrived, so there is no server `message` to show. Every other error shows the server's words.
const NETWORK_MESSAGES = {
  offline: '手机没有连接网络，请连接网络后再试',
  timeout: '网络较慢，服务器没有及时回应，请稍后再试',
  network: '网络连接失败，请检查网络后重试',
  // An HTTP answer without the server's JSON (a gateway or proxy in between answered).
  server: '服务器暂时无法回应，请稍后再试',
  wechat_login_failed: '微信登录失败，请重新打开小程序'
}

module.exports = { NETWORK_MESSAGES }
