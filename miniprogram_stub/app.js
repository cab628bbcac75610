const api = require('./utils/api.js')

App({
  // Log in as soon as the mini-program starts; pages wait for the same log-in through
  // utils/api.js, which also logs in again whenever the server answers 401.
  onLaunch() {
    return api.traineeToken().catch(() => {
      // No network yet: the first page shows the error and offers to try again.
    })
  },

  globalData: {}
})
